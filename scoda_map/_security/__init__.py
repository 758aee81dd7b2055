"""What an anonymous visitor may do to the server, and no more (SECURITY.md).

The dashboards have no login: anyone who reaches the port gets a kernel. These
modules bound what one visitor, or one script, can take from everybody else, and
what the server tells them. :mod:`scoda_map._voila_app` wires them into Voila:

- :mod:`.logs`: every server log line escaped, truncated and rate-limited;
- :mod:`.clients`: who a request comes from (the proxy's ``X-Real-IP`` trusted
  only from a loopback peer);
- :mod:`.http`: Host allowlist, connections per client, headers (no banners, CSP);
- :mod:`.kernels`: kernels per client, a short life for pages that never
  connect, a memory budget per kernel;
- :mod:`.channel`: what a page may send over its kernel websocket, and what of
  the kernel's output it sees (no tracebacks or paths: those go to the log).
"""
