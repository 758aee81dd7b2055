"""pyproject.toml (pip) and environment.yml (conda) list the same dependencies."""

import re
import tomllib

from conftest import ROOT

CONDA_NAMES = {"brotli-python": "brotli", "python-kaleido": "kaleido"}  # conda-forge's name -> PyPI's


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")
    return CONDA_NAMES.get(name, name)


def test_pip_and_conda_files_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["test"]}
    conda = set()
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"\s+-\s+([A-Za-z0-9_.-]+)", line)
        if match and _name(match.group(1)) not in {"python", "pip"}:
            conda.add(_name(match.group(1)))
    assert pip == conda, f"only in pyproject: {pip - conda}; only in environment.yml: {conda - pip}"
