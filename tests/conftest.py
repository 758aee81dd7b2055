import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal"


@pytest.fixture
def minimal_copy(tmp_path) -> Path:
    """A writable copy of the small valid fixture folder, for breaking."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target
