"""The benchmark's parts, shared by benchmarks/run.py and the other benchmark scripts.

common (paths, bounds, statistics, machine facts) -> wire (websocket decoding) ->
servers (Voila processes, CPU noise) -> pages (one timed page load) -> interactions
(timed clicks and selections) -> report (targets, verdicts, the table).
"""
