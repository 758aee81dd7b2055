"""Where the shipped data lives."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def shipped_data_path() -> Path:
    """The shipped geodata: inside the installed package, or the repo's ``geodata/``."""
    packaged = _PACKAGE / "_geodata"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "geodata"
