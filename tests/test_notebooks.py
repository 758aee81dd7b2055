"""The research notebooks run top to bottom, on the shipped data and on an extension folder.

Each notebook reads its data folder from ``SCODA_MAP_DATA`` (unset: the shipped data),
so notebooks 1, 3 and 4 also run on ``tests/data/extension``. Cells the tests check
carry a tag in their metadata (``validate-broken``, ``headline``, ...).
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient
from test_figures_save import assert_real_png, assert_real_svg

import scoda_map
from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
EXTENSION = ROOT / "tests" / "data" / "extension"
DATA = {"shipped": None, "extension": EXTENSION}


@pytest.fixture
def tmp_path(tmp_path_factory):
    """A short temporary folder: the notebooks' TMPDIR. Chromium (kaleido's, saving figures)
    puts a socket there, and a socket's path may not pass 107 bytes: pytest's own tmp_path
    under two test workers (``.../popen-gw0/test_getting_started_shipped_0/...``) made
    Chromium exit at once."""
    import shutil
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="nb-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def run(name, tmp_path, monkeypatch, data=None):
    """Execute a notebook in a fresh kernel (this Python's ``python3``); fail on any error."""
    if data is None:
        monkeypatch.delenv("SCODA_MAP_DATA", raising=False)
    else:
        monkeypatch.setenv("SCODA_MAP_DATA", str(data))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # notebook 2 writes its folder here
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return notebook


def output(notebook, tag):
    """Everything a reader sees under the cell with this tag: printed text, tables as HTML."""
    cells = [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]
    assert len(cells) == 1, f"one cell tagged {tag!r} expected"
    parts = []
    for out in cells[0].outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/html") or out.data.get("text/plain", ""))
    return "\n".join(parts)


def row(file, record, field):
    """A problem-table row: file, record, field in adjacent cells."""
    cells = r"</td>\s*<td>".join(re.escape(part) for part in (file, record, field))
    return re.compile(rf"<td>{cells}</td>")


def test_notebooks_are_committed_without_outputs():
    names = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
    assert names == ["01-getting-started.ipynb", "02-add-your-own-layer.ipynb",
                     "03-route-network.ipynb", "04-policy-coverage.ipynb", "05-update-the-lists.ipynb"]
    for name in names:
        for cell in nbformat.read(NOTEBOOKS / name, as_version=4).cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{name} has outputs: clear them"


@pytest.mark.parametrize("data", DATA, ids=str)
def test_getting_started(tmp_path, monkeypatch, data):
    notebook = run("01-getting-started.ipynb", tmp_path, monkeypatch, DATA[data])
    assert "Train routes" in output(notebook, "completeness")
    link = output(notebook, "dashboard-link")
    assert "http://127.0.0.1:8866/?feature=r-almaty" in link
    # the trains figure saved as PNG and SVG, offline, with the machine's Chromium
    saved = output(notebook, "save-figure")
    assert "scoda-trains.png" in saved and "scoda-trains.svg" in saved
    assert_real_png(tmp_path / "scoda-trains.png")
    assert_real_svg(tmp_path / "scoda-trains.svg", "SCODA")
    if data == "extension":
        assert "example_parks" in output(notebook, "completeness")
        assert f"scoda-map serve --data {EXTENSION}" in link


def test_add_your_own_layer(tmp_path, monkeypatch):
    notebook = run("02-add-your-own-layer.ipynb", tmp_path, monkeypatch)

    # The broken files: every record problem named by file, record and field ...
    broken = output(notebook, "validate-broken")
    assert row("my_parks.csv", "my-park-navoiy", "confidence").search(broken)
    assert row("places.geojson", "my-navoiy", "geometry.coordinates.1").search(broken)
    assert row("places.geojson", "my-navoiy", "name_en").search(broken) and "HTML" in broken
    assert "no measure 'op24-parks'" in broken  # references too, in the same list
    # ... and after fixing the three record problems, the link is what is left.
    references = output(notebook, "validate-references")
    assert row("links.csv", "op24-parks -&gt; my-park-navoiy", "measure_id").search(references)
    assert "no measure 'op24-parks'" in references

    assert output(notebook, "validate-fixed").strip() == "[]"
    assert "my-park-navoiy" in output(notebook, "features-for")
    serve = output(notebook, "serve-command")
    assert re.search(r"scoda-map serve --data \S*my-scoda-layer-", serve)
    assert "?feature=my-park-navoiy" in serve


@pytest.mark.parametrize("data", DATA, ids=str)
def test_route_network(tmp_path, monkeypatch, data):
    notebook = run("03-route-network.ipynb", tmp_path, monkeypatch, DATA[data])
    headline = output(notebook, "headline")
    match = re.search(r"routes in the data: (\d+) \((?:\d+ [a-z_]+(?:, )?)+\); claimed: (\d+); gap: (\d+)", headline)
    assert match, headline
    atlas = scoda_map.load(DATA[data])
    routes, claimed = len(atlas.routes), int(atlas.completeness().loc["routes", "claimed"])
    assert tuple(map(int, match.groups())) == (routes, claimed, claimed - routes)
    assert "cities reached" in headline and "countries reached" in headline
    # The growth by year: the model's as-of rules, one line per year, and a figure.
    growth = output(notebook, "growth")
    lines = re.findall(r"as of (\d{4}): (\d+) routes; date unknown: (\d+)", growth)
    assert lines, growth
    for year, count, undated in lines:
        view = scoda_map.as_of(atlas, int(year))
        assert (int(count), int(undated)) == (len(view.routes), len(view.undated_routes))
    assert [int(count) for _, count, _ in lines] == sorted(int(count) for _, count, _ in lines)


@pytest.mark.parametrize("data", DATA, ids=str)
def test_policy_coverage(tmp_path, monkeypatch, data):
    notebook = run("04-policy-coverage.ipynb", tmp_path, monkeypatch, DATA[data])
    assert "trains_per_year" in output(notebook, "targets")
    by_document = output(notebook, "by-document")
    assert "routes" in by_document and "not linked" in by_document
    if data == "extension":
        assert "example_parks" in by_document


def test_update_the_lists(tmp_path, monkeypatch):
    notebook = run("05-update-the-lists.ipynb", tmp_path, monkeypatch)  # on a temporary copy of the shipped data
    summary = output(notebook, "summary")
    assert "updated 4, unchanged 0, rejected 0, ambiguous 2" in summary
    assert "2 GeoNames places in CN are named 'Yangling'" in summary
    assert "1787458 Yangling (CN, admin1 26" in output(notebook, "report")
    assert "updated 5, unchanged 1, rejected 0, ambiguous 0" in output(notebook, "decided")
    written = output(notebook, "written")
    assert "'last_import_file': 'parks.xlsx'" in written and "1787458" in written
    assert "parks on the map now: 0" in output(notebook, "undo")
    assert scoda_map.validate() == []  # the shipped data was not touched
