"""The one error type bad data raises, and the problems it lists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data: where it is and what is wrong.

    ``record`` is the record's id where it has one, else its row number
    (``row 3``), or ``(file)`` for problems with the whole file.
    """

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


def problems_frame(problems: list[Problem]):
    """Problems as a pandas DataFrame (file, record, field, message), for notebooks."""
    import pandas as pd

    return pd.DataFrame([vars(p) for p in problems], columns=["file", "record", "field", "message"])


class DataValidationError(ValueError):
    """Raised when a geodata folder has problems; lists every one of them.

    Examples
    --------
    >>> import scoda_map
    >>> try:
    ...     scoda_map.load("/no/such/folder")
    ... except scoda_map.DataValidationError as error:
    ...     print(error.problems[0].field)
    datapackage.json
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        lines = [f"{len(self.problems)} problem(s) in the geodata:"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))

    def to_frame(self):
        """The problems as a DataFrame (file, record, field, message)."""
        return problems_frame(self.problems)
