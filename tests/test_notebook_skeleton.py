"""Every analysis notebook follows one skeleton: title and purpose, the parameters cell, Setup,
its sections, Sources, and the key findings handed to the report last."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _headings(path: Path) -> list[str]:
    """The level-2 headings of a notebook's markdown cells, in order."""
    nb = nbformat.read(path, as_version=4)
    return [line[3:].strip() for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def test_the_notebooks_are_found() -> None:
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_skeleton(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert nb.cells[1].metadata.get("tags") == ["parameters"]
    headings = _headings(path)
    assert headings[0] == "Setup", headings
    assert headings[-2:] == ["Sources", "Key findings for the report"], headings
    sections = headings[1:-2]
    assert sections, f"{path.name} has no sections"
    numbered = [bool(re.match(r"\d+\. ", h)) for h in sections]
    assert all(numbered) or not any(numbered), f"{path.name}: mixed section numbering {sections}"
