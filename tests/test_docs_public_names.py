"""The docs, README and notebooks use public names only: what they show a researcher
to import must keep working when the internal (underscore) modules are rearranged."""

import importlib
import json
import re

import pytest

import scoda_map
from conftest import ROOT

PRIVATE_IMPORT = re.compile(r"^\s*(?:from\s+scoda_map\._\w*|import\s+scoda_map\._\w*)", re.M)
FROM_SCODA = re.compile(r"^[ \t]*from[ \t]+scoda_map(?:\.(\w+))?[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)", re.M)


def doc_texts() -> dict[str, str]:
    """Every doc, the README and the notebooks' code cells, by file name."""
    texts = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path.relative_to(ROOT).as_posix()] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return texts


DOCS = doc_texts()


@pytest.mark.parametrize("name", DOCS)
def test_no_doc_imports_an_internal_module(name):
    assert not PRIVATE_IMPORT.findall(DOCS[name]), f"{name} imports an internal module: use a name from scoda_map"


@pytest.mark.parametrize("name", DOCS)
def test_every_name_a_doc_imports_from_scoda_map_exists(name):
    for module, names in FROM_SCODA.findall(DOCS[name]):
        where = f"scoda_map.{module}" if module else "scoda_map"
        for imported in names.strip("()").replace("\n", ",").split(","):
            imported = imported.split(" as ")[0].strip()
            if imported:
                assert has_name(where, imported), f"{name}: {where} has no {imported}"


def has_name(module: str, name: str) -> bool:
    """``from module import name`` works: an attribute, or a submodule."""
    if hasattr(importlib.import_module(module), name):
        return True
    try:
        importlib.import_module(f"{module}.{name}")
    except ImportError:
        return False
    return True


def test_every_public_name_is_exported_and_listed():
    assert set(scoda_map.__all__) - {"__version__"} == set(scoda_map._EXPORTS)
    for name in scoda_map._EXPORTS:
        assert getattr(scoda_map, name) is not None, name
