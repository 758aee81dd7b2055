"""Who a request comes from.

A client is its remote address. Behind the ``scoda-map cluster`` nginx every
request comes from 127.0.0.1 and nginx names the visitor in ``X-Real-IP``; that
header is believed only when the peer itself is a loopback address (a proxy on
this machine), never from the network, where anybody can write it.
"""

from __future__ import annotations

import ipaddress


def peer_address(request) -> str:
    """The TCP peer of a tornado request."""
    address = getattr(request.connection.context, "address", None) if request.connection else None
    if isinstance(address, tuple) and address:
        return str(address[0])
    return request.remote_ip or "?"


def is_loopback(address: str) -> bool:
    """
    >>> is_loopback("127.0.0.2"), is_loopback("::1"), is_loopback("192.168.1.4"), is_loopback("x")
    (True, True, False, False)
    """
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def client_address(request) -> str:
    """The visitor's address: the peer, or a loopback proxy's ``X-Real-IP``."""
    peer = peer_address(request)
    forwarded = request.headers.get("X-Real-IP", "").strip()
    if forwarded and is_loopback(peer):
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return peer
    return peer


#: This machine's own browser (the kiosk's, a researcher's) connects from these. Other
#: loopback addresses (127.0.0.2 and up) count as visitors: tests play clients with them.
LOCAL_PEERS = ("127.0.0.1", "::1")


def is_local_client(request) -> bool:
    """A browser on this machine (the kiosk's own), directly or through the local nginx."""
    return client_address(request) in LOCAL_PEERS
