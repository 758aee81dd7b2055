import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` (minutes each) first: with ``make test``'s two workers
    (pytest-xdist, one module at a time each), one worker starts on them while the other
    runs the rest beside it, instead of everybody waiting for them at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def minimal_copy(tmp_path) -> Path:
    """A writable copy of the small valid fixture folder, for breaking."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test."""
    from playwright.sync_api import expect

    from scoda_map._testing.browser import chromium

    # expect(...) retries until its condition holds: long enough for a busy 2-core machine.
    expect.set_options(timeout=30_000)
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def explorer_url(tmp_path_factory):
    """One `scoda-map serve` for every explorer test."""
    from scoda_map._testing.server import running_server

    log = tmp_path_factory.mktemp("server") / "serve.log"
    with running_server("serve", log_path=log) as url:
        yield url


KIOSK_IDLE_SECONDS = 8
KIOSK_STEP_SECONDS = 4


@pytest.fixture(scope="session")
def kiosk_server(tmp_path_factory):
    """One `scoda-map kiosk` (short idle and step times) for every kiosk test."""
    from scoda_map._testing.server import running_server

    log = tmp_path_factory.mktemp("kiosk") / "kiosk.log"
    extra = ["--idle", str(KIOSK_IDLE_SECONDS), "--step", str(KIOSK_STEP_SECONDS)]
    with running_server("kiosk", extra=extra, log_path=log) as server:
        yield server


@pytest.fixture
def page(browser):
    """A fresh page (its own kernel) whose requests leaving the machine are refused and
    kept in ``page.outside``; closed as a real tab closes, so Voila frees the kernel."""
    from scoda_map._testing.browser import new_page

    outside: list[str] = []
    page = new_page(browser, outside=outside)
    page.outside = outside
    yield page
    page.close(run_before_unload=True)
    page.context.close()
