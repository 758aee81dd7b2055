"""Every import can be undone: the files it changes are kept first, byte for byte.

Before an import writes, the files it is about to change are copied into
``<data>/.history/<UTC timestamp>/`` with a ``manifest.json`` (which files, their
SHA-256 before and after, the sheet). :func:`undo` puts the newest version back
byte for byte and renames its folder to ``<timestamp>.undone``, so a second undo
goes one import further back. Undo refuses, unless forced, when a file was
edited after the import (that edit would be lost).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

HISTORY = ".history"
MANIFEST = "manifest.json"
_STAMP = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")


def _sha(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(content).hexdigest()


def write_atomic(path: Path, content: bytes) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def stamp(moment: _dt.datetime) -> str:
    """A history folder name: the UTC time to the microsecond, sortable as text."""
    return moment.astimezone(_dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def save_and_write(folder: Path, changes: dict[Path, bytes], moment: _dt.datetime, sheet: str) -> Path:
    """Keep the current version of every file in ``changes``, then write the new contents.

    Parameters
    ----------
    folder : Path
        The data folder.
    changes : dict
        Absolute path (inside ``folder``) -> new content.
    moment : datetime
        When the import happened (names the history folder).
    sheet : str
        The sheet's file name, for the manifest.

    Returns
    -------
    Path
        The history folder written.
    """
    folder = folder.resolve()
    history = folder / HISTORY
    name = stamp(moment)
    while (history / name).exists() or (history / f"{name}.undone").exists():
        moment += _dt.timedelta(microseconds=1)
        name = stamp(moment)
    target = history / name
    target.mkdir(parents=True)
    files = []
    for path, content in sorted(changes.items()):
        relative = path.resolve().relative_to(folder)
        before = path.read_bytes() if path.exists() else None
        if before is not None:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).write_bytes(before)
        files.append({"path": relative.as_posix(), "existed": before is not None,
                      "sha256_before": _sha(before), "sha256_after": _sha(content)})
    manifest = {"created": moment.astimezone(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                "sheet": sheet, "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for path, content in changes.items():
        write_atomic(path, content)
    return target


def versions(folder: Path) -> list[Path]:
    """History folders that can still be undone, oldest first."""
    history = Path(folder) / HISTORY
    if not history.is_dir():
        return []
    return sorted(p for p in history.iterdir() if p.is_dir() and _STAMP.match(p.name) and (p / MANIFEST).is_file())


@dataclass
class Undone:
    """What an undo did (or would do)."""

    version: Path | None
    restored: list[str]
    edited_since: list[str]
    sheet: str | None = None
    created: str | None = None
    done: bool = False


def undo(folder: str | Path, force: bool = False) -> Undone:
    """Restore the files the newest import changed, byte for byte.

    Parameters
    ----------
    folder : str or Path
        The data folder.
    force : bool
        Restore even when a file was edited after the import.

    Returns
    -------
    Undone
        ``done`` is False when there was nothing to undo, or a file was edited
        since the import and ``force`` was not given (``edited_since`` lists them).
    """
    folder = Path(folder).resolve()
    available = versions(folder)
    if not available:
        return Undone(None, [], [])
    version = available[-1]
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    entries = manifest["files"]
    edited = [e["path"] for e in entries
              if _sha((folder / e["path"]).read_bytes() if (folder / e["path"]).exists() else None) != e["sha256_after"]]
    result = Undone(version, [e["path"] for e in entries], edited, manifest.get("sheet"), manifest.get("created"))
    if edited and not force:
        return result
    for entry in entries:
        path = folder / entry["path"]
        if entry["existed"]:
            write_atomic(path, (version / entry["path"]).read_bytes())
        else:
            path.unlink(missing_ok=True)
    version.rename(version.with_name(version.name + ".undone"))
    result.done = True
    return result
