"""Exports of the explorer that need no kernel: a static site (``site.build_site``)."""
