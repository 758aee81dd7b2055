"""Idle connections from one script (issue 19, finding 4).

With a service's ordinary open-files limit, about a thousand idle half-open
connections from one client made the server answer nobody while the accept loop
filled the log. Here the server runs with a low limit (400 files, so a few hundred
sockets show it) and one address opens more idle connections than that; another
address must still be served, and the log must stay small.
"""

import pytest

from scoda_map._testing.attack import ATTACKER, VISITOR, idle_sockets, request, voila_server

OPEN_FILES = 400
IDLE_SECONDS = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("security-connections") / "voila.log"
    with voila_server(max_kernels=2, log_path=log, open_files=OPEN_FILES,
                      extra=[f"--ScodaVoila.idle_connection_seconds={IDLE_SECONDS}"]) as server:
        server.log = log
        yield server


def test_idle_connections_from_one_address_leave_the_server_to_everybody_else(server):
    size = server.log.stat().st_size
    sockets = idle_sockets(server, OPEN_FILES, source=ATTACKER)
    try:
        status, _, body = request(server, "voila/templates/scoda/static/scoda.css", source=VISITOR, timeout=15)
        assert status == 200 and body
        assert server.log.stat().st_size - size < 100_000, "the log grew by more than 100 kB"
    finally:
        for sock in sockets:
            sock.close()


def test_a_connection_that_sends_nothing_is_closed(server):
    [sock] = idle_sockets(server, 1, source=VISITOR)
    sock.settimeout(IDLE_SECONDS + 30)
    try:
        assert sock.recv(1) == b""  # the server closed it (a timeout here raises instead)
    finally:
        sock.close()
    assert request(server, "voila/templates/scoda/static/scoda.css", source=VISITOR)[0] == 200
