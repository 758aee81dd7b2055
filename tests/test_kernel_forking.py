"""Kernels forked from the template process behave as kernels started the ordinary way.

The template (scoda_map._forking) serves every visitor's kernel; these tests drive it
through jupyter_client as Voila does, without a server: each kernel has the environment
and working folder it was started with (a visitor's link arrives in the environment), not
the template's or another kernel's, its command line is an ordinary kernel's, and shutting
it down leaves no process behind.
"""

import asyncio
import os
import sys

import psutil
import pytest

from scoda_map._forking import ForkingProvisioner, register
from scoda_map._forking.provisioner import ForkedProcess, Template, forkable

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def run(scenario) -> None:
    """asyncio.run in a thread of its own: a browser test of the same worker may have left
    playwright's loop running in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, scenario).result()


async def evaluate(manager, expression: str) -> str:
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        msg_id = client.execute("import os", user_expressions={"value": expression})
        while True:
            reply = await client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return reply["content"]["user_expressions"]["value"]["data"]["text/plain"]
    finally:
        client.stop_channels()


async def start(tmp_path, query: str):
    from jupyter_client.manager import AsyncKernelManager

    manager = AsyncKernelManager(kernel_name="python3")
    folder = tmp_path / query
    folder.mkdir()
    await manager.start_kernel(env={**os.environ, "QUERY_STRING": query}, cwd=str(folder))
    return manager


def test_each_forked_kernel_has_its_own_environment_and_folder_and_leaves_nothing(tmp_path):
    register()

    async def scenario():
        first = await start(tmp_path, "lang=zh")
        second = await start(tmp_path, "lang=ru")
        try:
            assert isinstance(first.provisioner, ForkingProvisioner)
            template = await Template.shared()
            assert template is not None, "the template process did not start"
            seen = [await evaluate(m, "(os.environ.get('QUERY_STRING'), os.path.basename(os.getcwd()), os.getppid())")
                    for m in (first, second)]
            assert seen[0] == repr(("lang=zh", "lang=zh", template.pid))
            assert seen[1] == repr(("lang=ru", "lang=ru", template.pid))
            process = psutil.Process(first.provisioner.pid)
            assert "ipykernel" in " ".join(process.cmdline()) and first.connection_file in " ".join(process.cmdline())
        finally:
            pids = [m.provisioner.pid for m in (first, second)]
            await first.shutdown_kernel(now=False)
            await second.shutdown_kernel(now=True)
            await Template.stop()
        assert not [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
        assert await first.is_alive() is False

    run(scenario())


def test_a_killed_kernel_is_seen_dead_and_restarts():
    register()

    async def scenario():
        from jupyter_client.manager import AsyncKernelManager

        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel()
        try:
            before = manager.provisioner.pid
            os.kill(before, 9)
            for _ in range(100):
                if not await manager.is_alive():
                    break
                await asyncio.sleep(0.1)
            assert not await manager.is_alive()
            await manager.restart_kernel(now=True)
            assert manager.provisioner.pid != before
            assert await manager.is_alive()
        finally:
            await manager.shutdown_kernel(now=True)
            await Template.stop()

    run(scenario())


def test_only_this_pythons_ipykernel_command_is_forked():
    assert forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not forkable(["/usr/bin/python3.9", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not forkable([sys.executable, "-m", "some_other_kernel", "-f", "k.json"])


def test_a_kernel_forked_after_the_explorer_was_drawn_ahead_has_the_atlas_and_none_of_its_widgets(monkeypatch):
    """The template draws the explorer once (scoda_map._forking.zygote.warm_explorer): its
    kernels start with the checked atlas in memory, and without a widget or comm of that
    drawing, which a visitor's page would otherwise be sent."""
    from scoda_map import _env, load
    from scoda_map._data.cache import write_cache

    minimal = os.path.join(os.path.dirname(__file__), "data", "minimal")
    monkeypatch.setenv(_env.DATA, minimal)
    monkeypatch.setenv(_env.ATLAS_CACHE, str(write_cache(load(minimal))))
    register(warm="explorer")

    async def scenario():
        from jupyter_client.manager import AsyncKernelManager

        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel()
        try:
            seen = await evaluate(manager, "(len(__import__('ipywidgets.widgets.widget', fromlist=['_'])._instances),"
                                           " len(__import__('comm').get_comm_manager().comms),"
                                           " len(__import__('scoda_map._data.cache', fromlist=['_'])._read))")
        finally:
            await manager.shutdown_kernel(now=True)
            await Template.stop()
            register()
        assert seen == repr((0, 0, 1))

    run(scenario())


def test_when_the_template_cannot_fork_the_kernel_starts_the_ordinary_way(monkeypatch):
    register()

    async def refuse(self, cmd, env, cwd):
        raise RuntimeError("the template could not fork: [Errno 11] Resource temporarily unavailable")

    monkeypatch.setattr(Template, "fork", refuse)

    async def scenario():
        from jupyter_client.manager import AsyncKernelManager

        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel()
        try:
            assert await evaluate(manager, "os.getppid()") == repr(os.getpid())  # launched by us, not forked
        finally:
            await manager.shutdown_kernel(now=True)
            await Template.stop()

    run(scenario())


def test_an_ended_kernels_exit_code_stays_with_its_process_not_the_template():
    class Reporting:  # the template's side: exit codes as SIGCHLD reports them
        exits = {4242: 0}

        def exit_code(self, pid):
            return self.exits.get(pid)

        def forget(self, pid):
            self.exits.pop(pid, None)

    template = Reporting()
    process = ForkedProcess(4242, template)
    assert process.poll() == 0
    assert template.exits == {}  # a day of kernels leaves no record behind (and a reused pid no stale one)
    assert process.returncode == 0


def test_a_forked_kernel_answers_the_pages_request_for_every_widget_at_once():
    """A page's widget manager first asks for all widget states in one message on
    ipywidgets' control channel. A kernel forked from the template must answer it as an
    ordinary kernel does; refused, the page falls back to one request a widget (about 150
    round trips for the explorer) and opens seconds later."""
    register()

    async def scenario():
        from jupyter_client.manager import AsyncKernelManager

        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive("import ipywidgets; label = ipywidgets.Label('hello')",
                                                     user_expressions={"id": "label.model_id"}, timeout=60,
                                                     output_hook=lambda msg: None)
            label = reply["content"]["user_expressions"]["id"]["data"]["text/plain"].strip("'")
            # jupyter_client has no comm helper: the two messages a page sends, one after the other
            for msg_type, content in (("comm_open", {"comm_id": "control-1", "target_name": "jupyter.widget.control",
                                                     "data": {}}),
                                      ("comm_msg", {"comm_id": "control-1", "data": {"method": "request_states"}})):
                client.shell_channel.send(client.session.msg(msg_type, content, metadata={"version": "1.0.0"}))
            answer = None
            while answer is None:
                msg = await client.get_iopub_msg(timeout=60)
                if msg["content"].get("comm_id") != "control-1":
                    continue
                if msg["msg_type"] == "comm_close":
                    break
                answer = msg["content"]["data"]
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)
            await Template.stop()
        assert answer is not None, "the kernel refused the widget manager's control channel"
        assert answer["method"] == "update_states" and label in answer["states"]

    run(scenario())
