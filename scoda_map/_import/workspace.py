"""What an import works on: the folder's own files, the ids in use, the sources.

An import only ever writes files of the folder it was given. In a folder that
``extends`` another, records of the base folder are matched and referred to, but
never changed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from .._data.atlas import Atlas
from .._data.catalog import CATALOG_FILE, Catalog, Resource
from .files import CsvTable, JsonFile, PlacesFile

GEONAMES_URL = "https://www.geonames.org/"


class CannotImport(ValueError):
    """The import cannot go ahead (no such layer, no file to write to); nothing was written.

    ``usage`` is True when the command was given wrongly (exit code 2), not the data.
    """

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


def slug(text: str | None, length: int = 48) -> str:
    """A lower-case id fragment from Latin-script text ('' when there is none).

    Examples
    --------
    >>> slug("Lanzhou New Area Comprehensive Bonded Zone"), slug("Ürümqi"), slug("兰州")
    ('lanzhou-new-area-comprehensive-bonded-zone', 'urumqi', '')
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(text) > length:  # cut at a word boundary where there is one
        cut = text[:length + 1].rfind("-")
        text = text[:cut] if cut > 0 else text[:length]
    return text.strip("-")


def name_of(text: object) -> str:
    """How names are compared when matching records: case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split()) if text else ""


def split_ids(value: object) -> list[str]:
    if not value:
        return []
    if isinstance(value, (tuple, list)):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(";") if part.strip()]


class Workspace:
    """The folder being imported into: its own files (read once), ids and sources.

    Parameters
    ----------
    folder : Path
        The data folder (with ``datapackage.json``) the import writes to.
    atlas : Atlas
        The folder, loaded (so it is valid before the import).
    catalog : Catalog
        The folder's catalog, resources resolved (incl. an extended base).
    sheet : str
        The sheet's file name, for notes.
    """

    def __init__(self, folder: Path, atlas: Atlas, catalog: Catalog, sheet: str):
        self.folder = folder.resolve()
        self.atlas = atlas
        self.catalog = catalog
        self.sheet = sheet
        self._files: dict[Path, CsvTable | JsonFile] = {}
        self._original: dict[Path, bytes] = {}
        self.touched: set[Path] = set()
        self.place_ids = set(atlas.places.index)
        self.feature_ids = {fid for name in atlas.layer_names() for fid in atlas.layer(name).index}
        self.measure_ids = set(atlas.measures.index)
        self.source_ids = set(atlas.sources.index)
        self._sources = [(sid, _url_key(row.url), name_of(row.title)) for sid, row in atlas.sources.iterrows()]
        self._pending: dict[str, dict] = {}  # new source records, written once a row uses them

    # -- files ----------------------------------------------------------------
    def is_own(self, resource: Resource) -> bool:
        return self.folder in resource.file.resolve().parents

    def own(self, role: str, name: str | None = None) -> Resource:
        """The folder's own resource with this role (and name); raise when there is none."""
        for resource in self.catalog.by_role(role):
            if (name is None or resource.name == name) and self.is_own(resource):
                return resource
        what = f"'{name}'" if name else f"'{role}' file"
        raise CannotImport(f"{self.folder} has no {what} of its own to write to (it may belong to the data it extends)")

    def _load(self, path: Path, kind: type):
        if path not in self._files:
            self._original[path] = path.read_bytes()
            self._files[path] = kind.read(path)
        return self._files[path]

    def table(self, resource: Resource) -> CsvTable:
        """A CSV resource, to read and change (marked as touched)."""
        path = resource.file.resolve()
        self.touched.add(path)
        return self._load(path, CsvTable)

    def places(self) -> PlacesFile:
        """The folder's own places file, to read and change."""
        path = self.own("places").file.resolve()
        self.touched.add(path)
        return self._load(path, PlacesFile)

    def place_in_own_file(self, place_id: str) -> bool:
        return self.places().find(place_id) is not None

    def catalog_file(self) -> JsonFile:
        path = self.folder / CATALOG_FILE
        self.touched.add(path)
        return self._load(path, JsonFile)

    def changes(self) -> dict[Path, bytes]:
        """New content of every file that differs from what was read."""
        out = {}
        for path in sorted(self.touched):
            if path in self._files:
                content = self._files[path].render().encode("utf-8")
                if content != self._original[path]:
                    out[path] = content
        return out

    def originals(self) -> dict[Path, bytes]:
        return dict(self._original)

    # -- ids ------------------------------------------------------------------
    @staticmethod
    def unique(base: str, taken: set[str]) -> str:
        """``base``, or ``base-2``, ``base-3`` ... whichever is free; reserved in ``taken``."""
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        return candidate

    @staticmethod
    def counted(prefix: str, taken: set[str]) -> str:
        """``prefix-import-001``, ``-002`` ... the first that is free."""
        n = 1
        while f"{prefix}-import-{n:03d}" in taken:
            n += 1
        taken.add(f"{prefix}-import-{n:03d}")
        return f"{prefix}-import-{n:03d}"

    # -- sources --------------------------------------------------------------
    def source_id(self, title: str | None, url: str | None, publisher: str | None, date: str | None) -> str:
        """The id of the sheet's source: an existing record (same id, URL or title), or a new one."""
        title = (title or "").strip()
        if title in self.source_ids and not url:
            return title  # the sheet names a source by its id
        if not url and re.match(r"^https?://", title):
            url, title = title, ""
        url_key, title_key = _url_key(url), name_of(title)
        for sid, known_url, known_title in self._sources:
            if (url_key and url_key == known_url) or (not url_key and title_key and title_key == known_title):
                return sid
        host = urlsplit(url).netloc.removeprefix("www.") if url else ""
        base = slug(host or publisher or title, 32)
        new_id = self.unique(f"src-{base}-{date}" if base and date else f"src-{base}", self.source_ids) if base \
            else self.counted("src", self.source_ids)
        self._pending[new_id] = {"id": new_id, "title": title or url, "publisher": publisher, "url": url,
                                 "date": date, "note": f"Added by scoda-map import from {self.sheet}."}
        self._sources.append((new_id, url_key, title_key))
        return new_id

    def use_sources(self, source_ids: list[str]) -> None:
        """Write the new source records these ids name (once), now that a row is accepted."""
        for source_id in source_ids:
            record = self._pending.pop(source_id, None)
            if record is not None:
                self.table(self.own("sources")).append(record)

    def new_sources(self) -> list[dict]:
        """Source records this import would add (for checking a record before it is accepted)."""
        return list(self._pending.values())

    def geonames_source_id(self, dataset: str) -> str:
        """The source record for GeoNames coordinates (found by URL, or added once)."""
        for sid, known_url, _ in self._sources:
            if known_url == _url_key(GEONAMES_URL):
                return sid
        new_id = self.unique("src-geonames", self.source_ids)
        self._pending[new_id] = {
            "id": new_id, "title": f"GeoNames gazetteer via the PyPI package {dataset}", "publisher": "GeoNames",
            "url": GEONAMES_URL, "note": "Data CC BY 4.0: credit GeoNames. Added by scoda-map import."}
        self._sources.append((new_id, _url_key(GEONAMES_URL), ""))
        return new_id


def _url_key(url: object) -> str:
    if not url or not isinstance(url, str):
        return ""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"
