"""Helpers for researchers' own tests: check data the way the project does.

Examples
--------
In a researcher's ``test_my_layer.py``:

>>> from scoda_map.testing import assert_valid_data
>>> assert_valid_data()  # the shipped data; pass your own folder instead
"""

from __future__ import annotations

from pathlib import Path

from ._data.loader import validate

__all__ = ["assert_valid_data"]


def assert_valid_data(path: str | Path | None = None) -> None:
    """Fail with every problem listed when a geodata folder is not valid.

    Parameters
    ----------
    path : str or Path, optional
        A folder with a ``datapackage.json``; defaults to the shipped geodata.

    Raises
    ------
    AssertionError
        Listing each problem as ``file: record: field: message``.
    """
    problems = validate(path)
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise AssertionError(f"{len(problems)} problem(s) in {path or 'the shipped geodata'}:\n{lines}")
