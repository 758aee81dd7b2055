"""The benchmark's targets, its verdicts and its printed table."""

from __future__ import annotations

from .common import NOISE_CPU_S
from .scale import scale_lines

TARGETS = {
    "ready_ratio_fresh": 1.5,       # explorer / baseline, fresh kernel per load
    "ready_ratio_preheated": 1.2,   # explorer / baseline, preheated pool
    "ws_bytes": 2_000_000,          # kernel websocket bytes before ready
    "interaction_median_ms": 150.0,
    "interaction_p95_ms": 300.0,
    "kernel_rss_mb": 250.0,
    "outside_requests": 0,
    "scale_ready_ratio": 3.0,       # explorer + 100,000 extra points / baseline
    "cli_start_s": 0.5,             # `scoda-map --help`, median
    "ready_ratio_phone": 1.5,       # explorer / baseline on the phone profile (issue 13)
    "phone_http_mb": 3.0,           # HTTP bytes (as transferred) before ready on the phone profile
}


def fmt(value, unit="", digits=2):
    if value is None:
        return "-"
    if unit == "MB":
        return f"{value / 1e6:.{digits}f} MB"
    return f"{value:.{digits}f}{(' ' + unit) if unit else ''}"


def verdict(ok) -> str:
    return "-" if ok is None else ("met" if ok else "MISSED")


def evaluate(results: dict) -> list[dict]:
    """The targets, each with the measured figure and met / MISSED."""
    rows = []

    def add(name, measured, target, ok):
        rows.append({"target": name, "measured": measured, "goal": target, "met": ok})

    for phase, _key, limit in (("fresh", "ready_ratio_fresh", TARGETS["ready_ratio_fresh"]),
                              ("preheated", "ready_ratio_preheated", TARGETS["ready_ratio_preheated"])):
        p = results.get(phase, {})
        e = p.get("explorer", {}).get("summary", {}).get("median_ready_s")
        b = p.get("baseline", {}).get("summary", {}).get("median_ready_s")
        ratio = e / b if e and b else None
        add(f"page ready, {phase}: explorer / baseline", "-" if ratio is None else f"{ratio:.2f}x ({e:.2f} s / {b:.2f} s)",
            f"<= {limit}x", None if ratio is None else ratio <= limit)
    cli = results.get("cli_start")
    if cli:
        add("scoda-map --help starts (median of " + str(cli["runs"]) + ")",
            f"{cli['median_s']:.2f} s (python -c pass {cli.get('interpreter_median_s') or 0:.2f} s)",
            f"< {TARGETS['cli_start_s']:g} s", cli["median_s"] < TARGETS["cli_start_s"])
    s = results.get("fresh", {}).get("explorer", {}).get("summary", {})
    ws = s.get("median_ws_bytes")
    add("kernel websocket bytes before ready", fmt(ws, "MB"), "< 2 MB", None if ws is None else ws < TARGETS["ws_bytes"])
    phone = results.get("phone", {})
    if phone.get("explorer") and phone.get("baseline"):
        e, b = phone["explorer"]["median_ready_s"], phone["baseline"]["median_ready_s"]
        add("phone profile page ready: explorer / baseline", f"{e / b:.2f}x ({e:.2f} s / {b:.2f} s)",
            f"<= {TARGETS['ready_ratio_phone']:g}x", e / b <= TARGETS["ready_ratio_phone"])
        mb = phone["explorer"]["median_http_mb"]
        add("phone: bytes over HTTP before ready", f"{mb:.2f} MB (bare map {phone['baseline']['median_http_mb']:.2f} MB)",
            f"< {TARGETS['phone_http_mb']:g} MB", mb < TARGETS["phone_http_mb"])
    inter = results.get("interactions", {})
    for name in ("route_click", "measure_select", "language_switch", "language_switch_figures", "time_step"):
        stat = inter.get(f"{name}_frame_ms")
        if stat:
            add(f"{name.replace('_', ' ')} median", f"{stat['median']:.0f} ms", "< 150 ms", stat["median"] < TARGETS["interaction_median_ms"])
            add(f"{name.replace('_', ' ')} p95", f"{stat['p95']:.0f} ms", "< 300 ms", stat["p95"] < TARGETS["interaction_p95_ms"])
    if "time_step_layers_resent" in inter:
        resent = inter["time_step_layers_resent"]
        add("time step: map layers resent", ", ".join(resent) or "none", "none", not resent)
    rss = [load.get("kernel_rss_mb") for phase in ("fresh", "preheated")
           for load in results.get(phase, {}).get("explorer", {}).get("loads", [])]
    rss = [r for r in rss if r is not None]
    if inter.get("memory_after"):
        rss += [k["rss_mb"] for k in inter["memory_after"]["kernels"].values() if k["this_page"]]
    worst = max(rss) if rss else None
    add("explorer kernel RSS (worst seen)", f"{worst:.0f} MiB" if worst else "-",
        "< 250 MB", None if worst is None else worst < TARGETS["kernel_rss_mb"])
    big = results.get("scale", {}).get("100000")
    if big:
        base = results.get("fresh", {}).get("baseline", {}).get("summary", {}).get("median_ready_s")
        ratio = big["median_ready_s"] / base if base and big.get("median_ready_s") else None
        add("100,000 extra points: page ready / baseline", "-" if ratio is None else f"{ratio:.2f}x ({big['median_ready_s']:.2f} s)",
            f"< {TARGETS['scale_ready_ratio']:g}x", None if ratio is None else ratio < TARGETS["scale_ready_ratio"])
        add("100,000 extra points: pan and zoom usable", "yes" if big.get("usable") else "no", "yes", big.get("usable"))
    outside = [load.get("outside_requests", 0) for phase in ("fresh", "preheated") for kind in ("explorer", "baseline", "kiosk")
               for load in results.get(phase, {}).get(kind, {}).get("loads", [])
               + ([results[phase][kind]["cold"]] if "cold" in results.get(phase, {}).get(kind, {}) else [])]
    if "outside_requests" in inter:
        outside.append(inter["outside_requests"])
    outside += [row.get("outside_requests", 0) for row in results.get("scale", {}).values()]
    add("requests that left the machine", str(sum(outside)) if outside else "-", "0", None if not outside else sum(outside) == 0)
    return rows


def pair_line(label: str, e, b, unit: str = "s", digits: int = 2) -> str:
    """One table row: a figure, the baseline's, and their ratio."""
    ratio = f"{e / b:.2f}x" if (e is not None and b) else "-"
    if unit == "MB":
        return f"{label:<44}{fmt(e, 'MB'):>12}{fmt(b, 'MB'):>12}{ratio:>8}"
    return f"{label:<44}{fmt(e, unit, digits):>12}{fmt(b, unit, digits):>12}{ratio:>8}"


def kiosk_lines(results: dict, width: int) -> list[str]:
    """The kiosk's page-ready figures beside the same run's baseline (no target: for the record)."""
    fresh, preheated = results.get("fresh", {}), results.get("preheated", {})
    if "kiosk" not in fresh:
        return []
    k, b = fresh["kiosk"], fresh.get("baseline", {})
    ks, bs = k.get("summary", {}), b.get("summary", {})
    kp = preheated.get("kiosk", {}).get("summary", {})
    bp = preheated.get("baseline", {}).get("summary", {})
    return [
        "", f"{'kiosk page ready (navigation -> drawn)':<44}{'kiosk':>12}{'baseline':>12}{'ratio':>8}", "-" * width,
        pair_line("cold server: first load", k.get("cold", {}).get("ready_s"), b.get("cold", {}).get("ready_s")),
        pair_line(f"fresh kernel: median of {ks.get('n')}", ks.get("median_ready_s"), bs.get("median_ready_s")),
        pair_line(f"preheated pool: median of {kp.get('n')}", kp.get("median_ready_s"), bp.get("median_ready_s")),
        pair_line("kernel websocket received (fresh)", ks.get("median_ws_bytes"), bs.get("median_ws_bytes"), "MB"),
        pair_line("kernel RSS, MiB", ks.get("median_kernel_rss_mb"), bs.get("median_kernel_rss_mb"), "", 0),
    ]


def report(results: dict) -> str:
    lines = []
    m = results.get("machine", {})
    v = m.get("versions", {})
    lines.append(f"SCODA Cooperation Map benchmark, {results.get('started')}  (data: {results.get('data')}, "
                 f"version {results.get('data_version')})")
    lines.append(f"machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('ram_gib')} GiB RAM; "
                 f"load average at start {', '.join(f'{x:.2f}' for x in m.get('load_average_at_start', []))}")
    lines.append("versions: " + ", ".join(f"{k} {val}" for k, val in v.items()))
    g = results.get("git", {})
    lines.append(f"code: {str(g.get('commit'))[:12]}" + (f" + {len(g['changed_files'])} changed files" if g.get("changed_files") else ""))
    lines.append(f"loads per median: {results.get('args', {}).get('loads')}; interactions: "
                 f"{results.get('args', {}).get('interactions')} each; run took {results.get('duration_s', 0):.0f} s")
    lines.append("")
    header = f"{'page ready (navigation -> drawn)':<44}{'explorer':>12}{'baseline':>12}{'ratio':>8}"
    lines += [header, "-" * len(header)]

    def pair(label, e, b, unit="s", digits=2):
        lines.append(pair_line(label, e, b, unit, digits))

    for phase in ("fresh", "preheated"):
        p = results.get(phase)
        if not p:
            continue
        e, b = p.get("explorer", {}), p.get("baseline", {})
        es, bs = e.get("summary", {}), b.get("summary", {})
        if phase == "fresh":
            pair("server start (process -> answering)", e.get("server_start_s"), b.get("server_start_s"))
            pair("cold server: first load", e.get("cold", {}).get("ready_s"), b.get("cold", {}).get("ready_s"))
        label = "fresh kernel" if phase == "fresh" else "preheated pool"
        pair(f"{label}: median of {es.get('n')}", es.get("median_ready_s"), bs.get("median_ready_s"))
        pair(f"  quiet loads only ({es.get('quiet_n')} / {bs.get('quiet_n')})", es.get("quiet_median_ready_s"), bs.get("quiet_median_ready_s"))
        pair("  HTML complete (responseEnd), median", es.get("median_response_end_s"), bs.get("median_response_end_s"))
        pair("  kernel websocket opened, median", es.get("median_ws_opened_s"), bs.get("median_ws_opened_s"))
        pair("  widget states received, median", es.get("median_widget_states_received_s"), bs.get("median_widget_states_received_s"))
        for part in es.get("median_parts_s", {}):
            pair(f"  {part.replace('_', ' ')}, median", es["median_parts_s"].get(part), bs.get("median_parts_s", {}).get(part))
    lines += kiosk_lines(results, len(header))
    lines += scale_lines(results, len(header))
    s = results.get("fresh", {})
    es, bs = s.get("explorer", {}).get("summary", {}), s.get("baseline", {}).get("summary", {})
    if es:
        lines.append("")
        lines.append(f"{'before ready (fresh kernel, medians)':<44}{'explorer':>12}{'baseline':>12}{'ratio':>8}")
        lines.append("-" * len(header))
        pair("kernel websocket received", es.get("median_ws_bytes"), bs.get("median_ws_bytes"), "MB")
        pair("HTTP received", es.get("median_http_bytes"), bs.get("median_http_bytes"), "MB")
        pair("HTTP requests", es.get("median_http_requests"), bs.get("median_http_requests"), "", 0)
        pair("requests that left the machine (max)", es.get("max_outside_requests"), bs.get("max_outside_requests"), "", 0)
        pair("kernel RSS, MiB", es.get("median_kernel_rss_mb"), bs.get("median_kernel_rss_mb"), "", 0)
        pair("kernel USS (its own pages), MiB", es.get("median_kernel_uss_mb"), bs.get("median_kernel_uss_mb"), "", 0)
        pair("kernel CPU time to ready, s", es.get("median_kernel_cpu_s"), bs.get("median_kernel_cpu_s"))
        pair("server RSS, MiB", es.get("median_server_rss_mb"), bs.get("median_server_rss_mb"), "", 0)
        pair("CPU s used by this run during a load", es.get("median_own_cpu_s"), bs.get("median_own_cpu_s"))
        pair("CPU s used by other processes (noise)", es.get("median_other_cpu_s"), bs.get("median_other_cpu_s"))
    inter = results.get("interactions")
    if inter:
        lines.append("")
        h2 = f"{'interactions (event -> DOM -> next frame)':<44}{'median':>10}{'p95':>10}{'max':>10}{'first':>10}"
        lines += [h2, "-" * len(h2)]
        for name, label in (("route_click", "route click -> details"), ("measure_select", "measure select -> highlight"),
                            ("language_switch", "language switch -> redrawn"),
                            ("language_switch_figures", "  the same, Figures pane open"), ("time_step", "time step -> map restyled")):
            for key, what in (("dom_ms", "DOM updated"), ("frame_ms", "next frame")):
                st = inter.get(f"{name}_{key}")
                if st:
                    lines.append(f"{label + ', ' + what:<44}{st['median']:>8.0f}ms{st['p95']:>8.0f}ms"
                                 f"{st['max']:>8.0f}ms{st['first']:>8.0f}ms")
            done, total = inter.get(f"{name}_ws_bytes_to_done_median"), inter.get(f"{name}_ws_bytes_total_median")
            if total is not None:
                lines.append(f"  websocket per {label.split(' ->')[0]}: {done / 1e3:.1f} kB until drawn, {total / 1e3:.1f} kB "
                             f"({inter.get(f'{name}_ws_frames_total_median'):.0f} frames) until quiet (medians)")
    wsa = results.get("fresh", {}).get("explorer", {}).get("cold", {}).get("ws_analysis")
    if wsa:
        lines.append("")
        lines.append("explorer websocket before ready, by widget model type (state JSON, first load):")
        for name, row in list(wsa["by_model_type"].items())[:8]:
            lines.append(f"  {name:<34}{row['models']:>5} models {row['state_bytes'] / 1e3:>10.1f} kB")
        lines.append("largest single models:")
        for row in wsa["largest_models"][:5]:
            lines.append(f"  {row['state_bytes'] / 1e3:>10.1f} kB  {row['model']}")
    rows = results.get("targets") or []
    if rows:
        lines.append("")
        h3 = f"{'target':<44}{'measured':>28}{'goal':>10}  verdict"
        lines += [h3, "-" * len(h3)]
        for row in rows:
            lines.append(f"{row['target']:<44}{str(row['measured']):>28}{row['goal']:>10}  {verdict(row['met'])}")
    noisy = [f"{phase} {kind} ({figures['summary']['median_other_cpu_s']:.1f} CPU-s per load)"
             for phase in ("fresh", "preheated") for kind, figures in results.get(phase, {}).items()
             if figures.get("summary", {}).get("median_other_cpu_s", 0) > NOISE_CPU_S]
    if noisy:
        lines.append("")
        lines.append("WARNING: other processes used the CPU during the loads (median over " + f"{NOISE_CPU_S:g} CPU-s): "
                     + "; ".join(noisy) + ". Page-ready figures are inflated; see the quiet-load lines, and per-load noise in the JSON.")
    if results.get("server_deaths"):
        lines.append("")
        lines.append(f"note: servers exited during the run and were restarted: {results['server_deaths']}")
    if results.get("error"):
        lines.append("")
        lines.append(f"RUN INCOMPLETE: {results['error']}")
    return "\n".join(lines)
