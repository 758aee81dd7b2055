"""A checked atlas, saved once by the server, loaded by every visitor's kernel.

``scoda-map serve`` validates the data before it starts; without this cache every
kernel would validate it again (about 0.5 s for the shipped data, ~20 s for a
layer of 100,000 points). The cache is a pickle the server writes into a private
temporary folder; it is used only while the data files are exactly as they were
(paths, sizes and modification times), so an edited folder is always re-read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .._env import ATLAS_CACHE
from .atlas import Atlas
from .catalog import read_catalog

CACHE_ENV = ATLAS_CACHE  # the variable's name, kept here for callers


def fingerprint(folder: Path) -> str | None:
    """A digest of every file the catalog names (path, size, mtime), or None."""
    catalog, problems = read_catalog(Path(folder))
    if catalog is None or problems:
        return None
    digest = hashlib.sha256()
    files = [Path(folder) / "datapackage.json"] + [resource.file for resource in catalog.resources]
    for path in sorted(files):
        try:
            stat = path.stat()
        except OSError:
            return None
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def write_cache(atlas: Atlas) -> Path:
    """Pickle the atlas into a new private folder; return the file."""
    folder = Path(tempfile.mkdtemp(prefix="scoda-map-cache-"))  # mode 0700: ours alone
    path = folder / "atlas.pickle"
    with path.open("wb") as handle:
        pickle.dump((fingerprint(atlas.path), atlas), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


#: Cache files this process has read already: path -> (fingerprint, atlas). The kernels'
#: template process (scoda_map._forking) reads the server's cache once; every kernel forked
#: from it then finds the atlas here, with the fragments already drawn from it
#: (scoda_map._render.memo), instead of unpickling its own copy.
_read: dict[str, tuple[str, Atlas]] = {}


def read_cache(path: str | os.PathLike | None, folder: Path) -> Atlas | None:
    """The cached atlas if it was made from ``folder`` as it is now, else None."""
    if not path or not Path(path).is_file():
        return None
    current = fingerprint(folder)
    held = _read.get(str(path))
    if held is not None and held[0] == current and Path(held[1].path).resolve() == Path(folder).resolve():
        return held[1]
    try:
        with open(path, "rb") as handle:
            print_, atlas = pickle.load(handle)  # written by our own server process only
    except Exception:  # noqa: BLE001 - a bad cache just means reading the files
        return None
    if not isinstance(atlas, Atlas) or Path(atlas.path).resolve() != Path(folder).resolve():
        return None
    if print_ is None or print_ != current:
        return None
    _read[str(path)] = (print_, atlas)
    return atlas
