"""Property tests: any damage to any file yields an atlas or the one error type."""

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

import scoda_map
from conftest import MINIMAL

CSV_FILES = sorted(p.name for p in MINIMAL.glob("*.csv"))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load_outcome(folder: Path):
    """Load; return the atlas or the validation error. Any other exception fails the test."""
    try:
        return scoda_map.load(folder)
    except scoda_map.DataValidationError as error:
        assert error.problems, "a validation error must list its problems"
        return error


def _with_copy(edit):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(MINIMAL, folder)
        edit(folder)
        return _load_outcome(folder)


cell_values = st.one_of(
    st.text(max_size=30), st.sampled_from(["", " ", "-1", "1e999", "nan", "NaN", "2021-02-30", ";", "src-a;;", "<b>x</b>", "0"]),
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True).map(str),
)


@SETTINGS
@given(file=st.sampled_from(CSV_FILES), data=st.data())
def test_any_cell_changed_to_anything_loads_or_raises_the_one_error(file, data):
    def edit(folder):
        path = folder / file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        if len(rows) < 2:
            return
        r = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = data.draw(cell_values)
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    _with_copy(edit)


@SETTINGS
@given(file=st.sampled_from(CSV_FILES + ["places.geojson", "datapackage.json"]), junk=st.binary(max_size=200))
def test_any_file_replaced_by_random_bytes_raises_the_one_error(file, junk):
    outcome = _with_copy(lambda folder: (folder / file).write_bytes(junk))
    if file != "parks.csv":  # an empty parks list with a header is valid; junk never is elsewhere
        assert isinstance(outcome, scoda_map.DataValidationError)


@SETTINGS
@given(file=st.sampled_from(CSV_FILES), cut=st.floats(0, 1))
def test_a_truncated_file_loads_or_raises_the_one_error(file, cut):
    def edit(folder):
        path = folder / file
        raw = path.read_bytes()
        path.write_bytes(raw[: int(len(raw) * cut)])
    _with_copy(edit)


plain_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"),
    min_size=1, max_size=60,
).filter(lambda s: s.strip())


@SETTINGS
@given(name=plain_names)
def test_any_plain_name_in_any_script_survives_the_round_trip(name):
    def edit(folder):
        path = folder / "routes.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[0]["name_en"] = name
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    outcome = _with_copy(edit)
    assert not isinstance(outcome, scoda_map.DataValidationError), outcome
    assert outcome.feature("r-almaty")["name_en"] == name.strip()
