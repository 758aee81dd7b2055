"""The concurrency benchmark's table and verdicts."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path

import psutil


def machine() -> dict:
    import ipykernel
    import jupyter_server
    import tornado
    import voila

    nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True).stderr.strip() \
        if Path("/usr/sbin/nginx").exists() else "absent"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "nproc": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "available_gib_at_start": round(psutil.virtual_memory().available / 2**30, 1),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(), "voila": voila.__version__, "tornado": tornado.version,
        "jupyter_server": jupyter_server.__version__, "ipykernel": ipykernel.__version__, "nginx": nginx,
        "platform": platform.platform(),
    }


def fmt(value, spec: str = ".1f", unit: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{unit}"


def table(results: list[dict]) -> str:
    head = (f"{'target':<10}{'vis':>4}{'ok':>4}{'busy':>5}{'err':>4}{'page med':>9}{'p95':>8}{'busy p95':>9}"
            f"{'chromium':>9}{'mem held':>10}{'MiB/vis':>8}{'PSS/vis':>8}{'srv CPU':>8}{'other':>7}{'load1':>6}")
    lines = [head, "-" * len(head)]
    for target in results:
        for step in target["steps"]:
            real = step.get("browser") or {}
            chromium = fmt(real.get("ready_s"), ".1f", "s") if real.get("outcome") == "ok" else \
                ("fail" if real else "-")
            lines.append(
                f"{target['name']:<10}{str(step['visitors']) + ('*' if step.get('alone') else ''):>4}{step['ok']:>4}{step['busy']:>5}{step['errors']:>4}"
                f"{fmt(step['page_median_s'], '.1f', 's'):>9}{fmt(step['page_p95_s'], '.1f', 's'):>8}"
                f"{fmt(step['busy_p95_s'], '.2f', 's'):>9}{chromium:>9}"
                f"{fmt(step['held_rss_mib'] / 1024, '.2f', 'G'):>10}{fmt(step['per_visitor_rss_mib'], '.0f'):>8}"
                f"{fmt(step['per_visitor_pss_mib'], '.0f'):>8}{fmt(step['server_cpu_s'], '.0f', 's'):>8}"
                f"{fmt(step['other_cpu_s'], '.0f', 's'):>7}{fmt(step['load1_before'], '.1f'):>6}")
        if target.get("leftovers"):
            lines.append(f"  {target['name']}: processes left after stop (killed): {target['leftovers']}")
    return "\n".join(lines)


def verdicts(results: list[dict]) -> list[str]:
    out = []
    for target in results:
        steps = {s["visitors"]: s for s in target["steps"] if not s.get("alone")}
        if target["name"] == "cap":
            for s in target["steps"]:
                out.append(f"cap: {s['visitors']} visitors, cap {target['cap']}: {s['ok']} served, {s['busy']} busy "
                           f"(busy page p95 {fmt(s['busy_p95_s'], '.2f', ' s')}), {s['errors']} errors, "
                           f"at most {s['peak_kernels']} kernels")
            continue
        if target["name"] in ("view", "phone"):
            out += delegation_verdicts(target)
            continue
        one = next((s for s in target["steps"] if s.get("alone")), steps.get(1))
        base = one["page_median_s"] if one else None
        for n in (16, 32):
            s = steps.get(n)
            if not s:
                continue
            ratio = (s["page_p95_s"] / base) if base and s["page_p95_s"] else None
            out.append(f"{target['name']}: {n} visitors: {s['errors']} errors, {s['busy']} busy, p95 "
                       f"{fmt(s['page_p95_s'], '.1f', ' s')} = {fmt(ratio, '.1f', 'x')} the single visitor's "
                       f"{fmt(base, '.1f', ' s')} (target < 3x{', met' if ratio and ratio < 3 else ', MISSED'}), "
                       f"{fmt(s['per_visitor_rss_mib'], '.0f')} MiB RSS / {fmt(s['per_visitor_pss_mib'], '.0f')} "
                       f"MiB PSS per visitor (target < 250 MB"
                       f"{', met' if s['per_visitor_rss_mib'] and s['per_visitor_rss_mib'] * 1.048576 < 250 else ', MISSED'})")
        for s in target["steps"]:
            real = s.get("browser") or {}
            if real and real.get("outcome") != "ok":
                out.append(f"{target['name']}: {s['visitors']} visitors: the real Chromium visitor did not draw the map: "
                           f"{real.get('error', '?')[:120]} (console errors: {real.get('console', [])[:3]})")
            elif real and real.get("kernel_closed") is False:
                out.append(f"{target['name']}: {s['visitors']} visitors: the real Chromium tab's kernel outlived its tab")
    return out


def delegation_verdicts(target: dict) -> list[str]:
    """A delegation opening the share link on phones: what one of them waits, against one phone alone.

    One real phone-profile browser per step; the others are clients that fetch what a browser
    fetches. A visitor's wait at N is taken as the larger of what the real phone saw under
    the load and "the phone alone, with its page delivered as late as the crowd's p95"
    (phones render on their own CPUs; only the delivery is shared).
    """
    out = []
    by_n = {s["visitors"]: s for s in target["steps"] if not s.get("alone")}
    alone = next((s for s in target["steps"] if s.get("alone")), None)
    phone0 = (by_n.get(0) or {}).get("browser") or {}
    if phone0.get("outcome") != "ok" or alone is None or alone["page_median_s"] is None:
        return [f"{target['name']}: no single-visitor figure (phone alone or one client alone failed)"]
    one, fetch1 = phone0["ready_s"], alone["page_median_s"]
    for n in (16, 32):
        s = by_n.get(n)
        if not s:
            continue
        phone = (s.get("browser") or {}).get("ready_s")
        delivered = one - fetch1 + s["page_p95_s"] if s["page_p95_s"] is not None else None
        wait = max(v for v in (phone, delivered) if v is not None) if (phone or delivered) else None
        ratio = wait / one if wait else None
        target_ok = ratio is not None and ratio <= 3 and (n < 32 or s["errors"] == 0)
        out.append(f"{target['name']}: {n} phones together: {s['ok']} ok, {s['errors']} errors, {s['busy']} busy; "
                   f"page delivered p95 {fmt(s['page_p95_s'], '.2f', ' s')} (one alone {fmt(fetch1, '.2f', ' s')}); "
                   f"the real phone drew it in {fmt(phone, '.1f', ' s')} (alone {fmt(one, '.1f', ' s')}); "
                   f"a visitor's p95 about {fmt(wait, '.1f', ' s')} = {fmt(ratio, '.1f', 'x')} one phone alone "
                   f"(target <= 3x{', 32 without errors' if n == 32 else ''}: {'met' if target_ok else 'MISSED'})")
    return out
