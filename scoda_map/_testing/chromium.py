"""Find Debian's Chromium for browser tests; playwright never downloads a browser here."""

from __future__ import annotations

import os
import shutil
import sys

CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
#: Flags that keep headless Chromium quiet on a machine with no network.
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
HELP = (
    "No Chromium found. The browser tests drive Debian's Chromium through playwright.\n"
    "Install it with:  sudo apt-get install chromium\n"
    "or point SCODA_CHROMIUM at a Chromium executable."
)


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None."""
    explicit = os.environ.get("SCODA_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def main() -> int:
    path = find_chromium()
    if path is None:
        print(HELP, file=sys.stderr)
        return 1
    print(f"Chromium: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
