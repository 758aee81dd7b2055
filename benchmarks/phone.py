"""Phone profile: the explorer and the bare map (390x844, touch, CPU 4x slower),
fresh kernel per load, loads alternated; bytes before ready (as transferred) and
the explorer/baseline ready ratio (target <= 1.5x; bytes target < 3 MB).

    PYTHONPATH=. python benchmarks/phone.py --loads 3
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASELINE, EXPLORER, KIOSK, median
from bench.phone import CPU_SLOWDOWN, phone_load
from bench.servers import Server, wait_quiet
from scoda_map._data.catalog import read_catalog
from scoda_map._data.loader import default_data_path
from scoda_map._testing.browser import chromium


def basemap_path(folder: Path) -> Path:
    catalog, _ = read_catalog(folder)
    return next(folder / r.path for r in catalog.resources if r.scoda.role == "basemap" and r.scoda.worldview == "cn")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--kiosk", action="store_true", help="load the kiosk too")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args(argv)
    data = default_data_path()
    pages = [("explorer", EXPLORER), ("baseline", str(BASELINE))] + ([("kiosk", KIOSK)] if args.kiosk else [])
    results: dict = {"profile": {"viewport": "390x844", "touch": True, "cpu_slowdown": CPU_SLOWDOWN}, "loads": {}}
    with ExitStack() as stack, tempfile.TemporaryDirectory() as logs:
        browser = stack.enter_context(chromium())
        servers = {}
        for kind, notebook in pages:
            servers[kind] = Server(f"{kind}-phone", notebook, data, basemap_path(data), Path(logs), preheat=False)
            stack.callback(servers[kind].stop)
        wait_quiet(list(servers.values()))
        for _ in range(args.loads):
            for kind, _nb in pages:
                load = phone_load(browser, servers[kind].url, kind)
                results["loads"].setdefault(kind, []).append(load)
                print(f"{kind}: ready {load['ready_s']:.2f} s, {load['http_bytes_encoded'] / 1e6:.2f} MB in {load['requests']} requests",
                      flush=True)
    summary = {kind: {"ready_s": median([x["ready_s"] for x in loads]),
                      "http_mb_before_ready": median([x["http_bytes_encoded"] for x in loads]) / 1e6}
               for kind, loads in results["loads"].items()}
    summary["ratio"] = summary["explorer"]["ready_s"] / summary["baseline"]["ready_s"]
    results["summary"] = summary
    print(json.dumps(summary, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
