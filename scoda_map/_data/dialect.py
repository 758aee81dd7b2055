"""How a CSV file was saved: its encoding, byte-order mark and delimiter.

People save CSV files from Excel, WPS and LibreOffice. Excel on a Chinese Windows
writes GB18030 unless told "CSV UTF-8"; Excel in countries that write decimals
with a comma separates cells with semicolons; some tools write tabs. One reader
decides all of this, the same way for ``scoda-map validate`` (the data files)
and ``scoda-map import`` (staff sheets), so that both say the same thing about
the same file. The import reads any of these and notes what it found; the data
files must be comma-separated UTF-8, and validate says so in words, naming the
delimiter, instead of reporting every column as missing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

DELIMITERS = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs"}


@dataclass(frozen=True)
class CsvText:
    """A CSV file's text and how it was saved.

    Attributes
    ----------
    text : str
        The decoded text, without a byte-order mark.
    encoding : str
        ``utf-8`` or ``gb18030``.
    bom : bool
        Whether the file started with a UTF-8 byte-order mark (Excel's "CSV UTF-8" does).
    delimiter : str
        ``,``, ``;`` or a tab.
    """

    text: str
    encoding: str
    bom: bool
    delimiter: str

    @property
    def delimiter_name(self) -> str:
        return DELIMITERS[self.delimiter]


def decode(raw: bytes) -> tuple[str, str, bool]:
    """Text, encoding and BOM of a file's bytes: UTF-8 (with or without BOM), else GB18030.

    Raises
    ------
    UnicodeDecodeError
        When the bytes are neither (the error's ``start`` says where).

    Examples
    --------
    >>> decode("名称".encode("gb18030"))
    ('名称', 'gb18030', False)
    >>> decode(b"\\xef\\xbb\\xbfid")
    ('id', 'utf-8', True)
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8-sig"), "utf-8", bom
    except UnicodeDecodeError as first:
        try:
            return raw.decode("gb18030"), "gb18030", False
        except UnicodeDecodeError:
            raise first from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one of ``,`` ``;`` tab that splits the header
    (and the next lines) into the most columns, the same number on each line.

    Quoted cells are respected, so ``"Lanzhou, Gansu";CN`` is two cells.

    Examples
    --------
    >>> sniff_delimiter("id;name;country\\r\\npark-a;\\"A, B\\";CN\\r\\n")
    ';'
    >>> sniff_delimiter("id,name\\n1,x\\n"), sniff_delimiter("a\\tb\\n")
    (',', '\\t')
    >>> sniff_delimiter("name\\nLanzhou\\n")
    ','
    """
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (1, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(cells) for cells in csv.reader(lines[:10], delimiter=delimiter)]
        except csv.Error:
            continue
        header = widths[0]
        score = (header, sum(width == header for width in widths))
        if header > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_text(raw: bytes) -> CsvText:
    """Decode a CSV file's bytes and find its delimiter (see :func:`decode`)."""
    text, encoding, bom = decode(raw)
    return CsvText(text, encoding, bom, sniff_delimiter(text))
