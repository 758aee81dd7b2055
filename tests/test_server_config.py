"""One server configuration for serve, kiosk and cluster; kernels and the command line start light."""

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT
from scoda_map import _cluster, _env, _server, cli
from scoda_map._apps.request import wait_for_request
from scoda_map._data.cache import read_cache

#: What Voila and the Jupyter server pull in; a visitor's kernel must not pay for importing them
#: (rfc3987-syntax alone costs ~3 s per kernel where a plain pip install leaves it installed).
SERVER_MODULES = {"voila", "jupyter_server", "jupyter_events", "rfc3987_syntax", "jupyterlab_server"}
HEAVY = {"pandas", "geopandas", "voila", "jupyter_server", "plotly", "ipywidgets"}


def _capture(monkeypatch, module, name):
    """Replace ``module.name`` by a recorder that checks what the server would get while it runs."""
    seen = {}

    def record(config, **kwargs):
        seen["config"] = config
        seen["kwargs"] = kwargs
        env = config.environment({})
        seen["env"] = env
        seen["atlas"] = read_cache(env.get(_env.ATLAS_CACHE), Path(env[_env.DATA]))
        seen["index"] = (config.view_dir / "index.html").read_text(encoding="utf-8") if config.view_dir else None
        return 0

    monkeypatch.setattr(module, name, record)
    return seen


def _modules_after(code: str, env: dict | None = None) -> set[str]:
    script = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_serve_gives_its_kernels_the_checked_data_the_view_and_its_settings(monkeypatch):
    seen = _capture(monkeypatch, _server, "serve")
    assert cli.main(["serve", "--no-browser", "--worldview", "ne", "--expect", "4"]) == 0  # shipped data: both basemaps
    config, env = seen["config"], seen["env"]
    assert seen["atlas"] is not None  # kernels load the checked copy instead of validating again
    assert env[_env.WORLDVIEW] == "ne" and env[_env.VIEW] == "view/"
    assert "--preheat_kernel=True" in config.command() and "--pool_size=4" in config.command()
    assert f"--ScodaVoila.view_dir={config.view_dir}" in config.command()
    assert 'id="scoda-live"' in seen["index"]  # the kernel-free view links to the live map
    assert re.search(r'"worldview":\s*"ne"', seen["index"])  # the view draws the borders the live map draws
    assert not config.atlas_cache.exists() and not config.view_dir.exists()  # removed when the server stops


def test_a_worldview_the_data_has_no_basemap_for_is_refused_before_starting(monkeypatch, capsys):
    seen = _capture(monkeypatch, _server, "serve")
    assert cli.main(["serve", "--data", str(MINIMAL), "--no-browser", "--worldview", "ne"]) == 1
    assert "config" not in seen and "worldview" in capsys.readouterr().err


def test_cluster_workers_get_what_serve_gives(monkeypatch):
    seen = _capture(monkeypatch, _cluster, "run_cluster")
    args = ["cluster", "--workers", "3", "--worldview", "ne", "--preheat",
            "--max-kernels-per-worker", "5"]
    assert cli.main(args) == 0
    config, env = seen["config"], seen["env"]
    assert seen["kwargs"]["workers"] == 3
    assert seen["atlas"] is not None and env[_env.WORLDVIEW] == "ne" and seen["index"]
    worker = config.replace(port=1234, backend_id="w2")
    command = " ".join(worker.command())
    for setting in ["--ScodaVoila.max_kernels=5", "--ScodaVoila.backend_id=w2", "--preheat_kernel=True",
                    "--ScodaVoila.view_dir=", "--port=1234"]:
        assert setting in command


def test_kiosk_serves_the_view_to_phones_only_when_given_a_public_address(monkeypatch):
    seen = _capture(monkeypatch, _server, "serve")
    assert cli.main(["kiosk", "--data", str(MINIMAL), "--no-browser"]) == 0
    assert seen["config"].view_dir is None and _env.PUBLIC_URL not in seen["env"]
    assert "cull_idle_timeout=0" in " ".join(seen["config"].command())  # the kiosk's kernel lives all day
    assert cli.main(["kiosk", "--data", str(MINIMAL), "--no-browser", "--public-url", "http://10.1.2.3:8866/"]) == 0
    assert seen["env"][_env.PUBLIC_URL] == "http://10.1.2.3:8866/"
    assert seen["index"] is not None and 'id="scoda-live"' not in seen["index"]  # a phone never opens the kiosk


def test_the_command_line_loads_no_data_stack_to_start():
    assert not _modules_after("import scoda_map.cli; scoda_map.cli.build_parser()") & HEAVY


def test_a_dashboard_kernel_imports_nothing_of_the_server():
    notebook = json.loads((ROOT / "dashboards" / "explorer.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code")
    loaded = _modules_after(code, {_env.DATA: str(MINIMAL)})
    assert "ipyleaflet" in loaded  # the dashboard was built
    assert not loaded & SERVER_MODULES


def test_a_preheated_kernel_takes_the_visitors_link_from_the_server(monkeypatch):
    import asyncio

    import tornado.web
    import tornado.websocket

    from scoda_map._testing.server import free_port

    port, started = free_port(), threading.Event()
    info = {"QUERY_STRING": "lang=zh&feature=r-almaty", "SCRIPT_NAME": "/"}
    state = {}

    class Query(tornado.websocket.WebSocketHandler):  # as Voila's RequestInfoSocketHandler answers
        def open(self, kernel_id):
            state["kernel"] = kernel_id
            self.write_message(json.dumps(info))

    def serve():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/base/voila/query/(.*)", Query)])
        state["server"] = app.listen(port, address="127.0.0.1")
        state["loop"] = loop
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    try:
        env = {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(port), "VOILA_SERVER_URL": "/base/",
               "VOILA_KERNEL_ID": "k-42"}
        assert wait_for_request(env) is True
        assert os.environ["QUERY_STRING"] == "lang=zh&feature=r-almaty" and state["kernel"] == "k-42"
    finally:
        monkeypatch.delenv("QUERY_STRING", raising=False)
        monkeypatch.delenv("SCRIPT_NAME", raising=False)
        state["loop"].call_soon_threadsafe(state["loop"].stop)
        thread.join(5)


@pytest.mark.parametrize("args", [["serve"], ["cluster"], ["kiosk"]])
def test_every_server_command_takes_the_same_options(args):
    parsed = cli.build_parser().parse_args(args + ["--port", "9", "--host", "0.0.0.0", "--worldview", "ne",
                                                   "--data", "x", "--preheat"])
    config = _server.config_from_args(parsed, _server.KIOSK if args == ["kiosk"] else _server.EXPLORER)
    assert (config.port, config.host, config.worldview, config.preheat) == (9, "0.0.0.0", "ne", True)
