"""Which folder an import (or its undo) writes to.

Without ``--data`` an import writes to the default data folder. In a checkout (or an
editable install) that is the repository's ``geodata/``, kept in git: the staff's
usual way. In an installed package it lies in ``site-packages``, where the next
``pip install --upgrade`` would silently replace the imported records and where the
user often may not write at all; so there an import asks for ``--data`` instead.
"""

from __future__ import annotations

import site
import sysconfig
from pathlib import Path

from .._data.loader import default_data_path
from .workspace import CannotImport

#: Folder names Python installs packages into (pip's and Debian's).
INSTALL_FOLDERS = {"site-packages", "dist-packages"}


def installed_package_folders() -> list[Path]:
    """Where this Python installs packages (venv, system and user site-packages)."""
    paths = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    paths |= set(getattr(site, "getsitepackages", list)())
    user_site = site.getusersitepackages() if hasattr(site, "getusersitepackages") else None
    if isinstance(user_site, str):
        paths.add(user_site)
    return [Path(p).resolve() for p in paths]


def inside_installed_package(folder: Path, install_folders: list[Path] | None = None) -> bool:
    """Whether ``folder`` is inside a site-packages folder (an installed package's files).

    Examples
    --------
    >>> inside_installed_package(Path("/usr/lib/python3/dist-packages/scoda_map/_geodata"), [])
    True
    >>> inside_installed_package(Path("/home/staff/scoda-map/geodata"), [Path("/usr/lib/python3.11/site-packages")])
    False
    """
    folder = folder.resolve()
    if INSTALL_FOLDERS & set(folder.parts):
        return True
    roots = installed_package_folders() if install_folders is None else install_folders
    return any(folder.is_relative_to(root) for root in roots)


def import_folder(data: str | Path | None, default: Path | None = None) -> Path:
    """The folder an import or undo writes to: ``data`` when given, else the default
    data folder unless that is inside an installed package.

    Raises
    ------
    CannotImport
        (a usage error) when no folder was given and the default one is installed.
    """
    if data is not None:
        return Path(data)
    folder = default if default is not None else default_data_path()
    if inside_installed_package(folder):
        raise CannotImport(
            f"the shipped data is inside the installed package ({folder}); an upgrade would replace what you "
            "import, so nothing is written there. Import into a folder of your own with --data FOLDER: "
            "a copy of the shipped data (for example: cp -r "
            f"{folder} ~/scoda-geodata), or an extension that adds your layer (docs/extending.md). "
            "Then show it with: scoda-map serve --data FOLDER", usage=True)
    return folder
