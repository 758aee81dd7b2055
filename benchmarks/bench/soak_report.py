"""The kiosk soak's table, verdict and the versions it ran with."""

from __future__ import annotations

import json
import statistics
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TOLERANCE = 0.10


def median(values):
    return round(statistics.median(values), 1) if values else None


def p95(values):
    values = sorted(values)
    return round(values[max(0, int(0.95 * len(values) + 0.5) - 1)], 1) if values else None


COLUMNS = [("label", "sample", 10), ("interactions", "inter.", 6), ("elapsed_s", "time s", 7),
           ("kernel_rss_mb", "kernel MB", 9), ("server_rss_mb", "server MB", 9),
           ("renderer_rss_mb", "render MB", 9), ("js_heap_used_mb", "JS heap MB", 10),
           ("dom_nodes", "nodes", 6), ("js_event_listeners", "listen.", 7), ("live_widgets", "widgets", 7),
           ("layer_views_made", "map views", 9), ("ws_comm_open", "comm_open", 9), ("errors", "errors", 6)]


def table(samples: list[dict]) -> str:
    lines = [" ".join(f"{title:>{width}}" for _, title, width in COLUMNS)]
    for row in samples:
        lines.append(" ".join(f"{'-' if row.get(key) is None else row[key]!s:>{width}}" for key, _, width in COLUMNS))
    return "\n".join(lines)


def verdict(base: dict, end: dict, complete: bool, reloads: int) -> tuple[bool, list[str]]:
    checks = []

    def within(key: str, name: str) -> None:
        before, after = base.get(key), end.get(key)
        if before is None or after is None:
            checks.append((False, f"{name}: not measured"))
            return
        change = (after - before) / before
        checks.append((change <= TOLERANCE, f"{name}: {before} -> {after} MB ({change:+.1%}, limit +{TOLERANCE:.0%})"))

    def not_grown(key: str, name: str) -> None:
        before, after = base.get(key), end.get(key)
        if before is None or after is None:
            checks.append((False, f"{name}: not measured"))
            return
        checks.append((after <= before, f"{name}: {before} -> {after} ({after - before:+d}, must not grow)"))

    within("kernel_rss_mb", "kernel RSS")
    within("js_heap_used_mb", "browser JS heap (after GC)")
    within("renderer_rss_mb", "browser renderer RSS")
    not_grown("dom_nodes", "DOM nodes")
    not_grown("live_widgets", "live widgets")
    checks.append((base.get("kernel_pids") == end.get("kernel_pids") and reloads == 0,
                   f"same kernel all along: {base.get('kernel_pids')} -> {end.get('kernel_pids')}, page reloads {reloads}"))
    checks.append((complete, "run completed" if complete else "run did NOT complete (time limit)"))
    return all(ok for ok, _ in checks), [("ok   " if ok else "FAIL ") + text for ok, text in checks]


def versions() -> dict:
    out = {}
    for name in ("voila", "ipywidgets", "ipyleaflet", "anywidget", "ipykernel", "playwright", "jupyter_server"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    try:
        out["chromium"] = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                         timeout=20).stdout.strip()
    except Exception:
        pass
    return out


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except Exception:
        return None


# -- main -------------------------------------------------------------------------------------


def write(path: Path, result: dict, soak, outside: list, log_path: Path | None) -> None:
    result.update({
        "interactions_done": soak.count,
        "ops": soak.ops,
        "latency_ms": {k: {"n": len(v), "median": median(v), "p95": p95(v), "max": round(max(v), 1)}
                       for k, v in soak.latency.items() if v},
        "errors": soak.errors,
        "error_log": soak.error_log,
        "tours": soak.tours,
        "tour_steps_seen": sum(t["steps_seen"] for t in soak.tours),
        "samples": soak.samples,
        "reloads": soak.reloads,
        "browser_errors": soak.page_errors[:100],
        "browser_error_count": len(soak.page_errors),
        "outside_requests": outside[:50],
        "websocket": soak.ws,
    })
    if log_path is not None and log_path.exists():
        text = log_path.read_text(errors="replace")
        result["server_log"] = {"path": str(log_path), "lines": text.count("\n"),
                                "errors": [line for line in text.splitlines()
                                           if "ERROR" in line or "Traceback" in line][:50]}
    path.write_text(json.dumps(result, indent=1, default=str))
