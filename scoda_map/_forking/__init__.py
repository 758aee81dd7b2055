"""Kernels forked from a process that has already imported the dashboards.

Every visitor's page gets its own kernel, and most of a kernel's start is the same work
each time: the interpreter, ipykernel, pandas, geopandas, ipyleaflet and this package
imported (about 1.2 CPU-seconds of the 1.7 a kernel cost before its first message). A
delegation of twenty scanning the QR code at once pays it twenty times on two cores.

So the server keeps one *template* process (:mod:`.zygote`) that imports all of it once
and forks a kernel for each request; the kernel starts with everything already in
memory, shared copy-on-write with the template. :mod:`.provisioner` is the jupyter_client
kernel provisioner that asks the template for kernels, and falls back to an ordinary
launch whenever the template cannot serve (another kernel command, no ``fork``, a
template that failed to start). docs/performance.md has the figures.
"""

from .provisioner import PROVISIONER_NAME, ForkingProvisioner, register

__all__ = ["PROVISIONER_NAME", "ForkingProvisioner", "register"]
