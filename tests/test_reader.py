"""Reader's pages: tables without a bare index or NaN, and set-up prose kept to the code page."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from city_innovation.present import reader

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def test_table_in_words_without_index_or_missing_markers():
    frame = pd.DataFrame({"city": ["Seoul", "Vienna"],
                          "stated": pd.array([150, None], dtype="Int64"),
                          "peer_share": [12.345, np.nan], "population": [9736027.0, None],
                          "has_team": [True, False]})
    html = reader.frame_html(frame)
    assert [h for h in ("NaN", "<NA>", "None", "nan") if h in html] == []
    assert "row_heading" not in html  # no 0, 1 index column
    for text in (">City<", ">Stated<", ">Peer share<", ">Has team<", ">9,736,027<", ">12.35<",
                 ">150<", ">yes<", ">no<"):
        assert text in html
    assert html.count(f">{reader.MISSING}<") == 3


def test_meaningful_index_kept_and_named_in_words():
    frame = pd.DataFrame({"city": ["Seoul"], "team_size": [1.0]}).set_index("city")
    html = reader.frame_html(frame)
    assert ">Seoul<" in html and ">City<" in html and ">Team size<" in html
    assert ">1<" in html


def test_long_table_says_it_is_cut(monkeypatch):
    frame = pd.DataFrame({"x": range(5)})
    with pd.option_context("display.max_rows", 3):
        html = reader.frame_html(frame)
    assert "First 3 of 5 rows" in html and ">4<" not in html


@pytest.mark.parametrize(("name", "expected"), [
    ("survey_share_on_profile", "Survey share on profile"), ("nuts_code", "NUTS code"),
    ("Targets met so far", "Targets met so far"), ("n", "N")])
def test_words(name, expected):
    assert reader.words(name) == expected


def _cell(kind: str, source: str, tags=(), outputs=None):
    if kind == "code":
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = outputs or []
    else:
        cell = nbformat.v4.new_markdown_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def test_reader_cells_convention():
    out = [nbformat.v4.new_output("stream", text="x\n")]
    cells = [
        _cell("markdown", "# Title\n\nWhat is asked.\n\nChange the parameters in the next cell."),
        _cell("code", "city = 'X'", tags=["parameters"], outputs=out),
        _cell("markdown", "## Setup\n\nLoad the data."),
        _cell("code", "import x"),
        _cell("markdown", "How to read it.", tags=["with-code"]),
        _cell("markdown", "## 1. First section\n\nThe parameters decide the method."),
        _cell("code", "show()", outputs=out),
    ]
    kept = reader.reader_cells(cells)
    assert [c.source for c in kept] == ["# Title\n\nWhat is asked.",
                                        "## 1. First section\n\nThe parameters decide the method.",
                                        "show()"]
    assert cells[0].source.endswith("next cell.")  # the notebook itself is untouched


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("0*.ipynb")), ids=lambda p: p.stem)
def test_no_parameter_prose_on_any_reader_page(path):
    cells = nbformat.read(path, as_version=4).cells
    kept = reader.reader_cells(cells)
    opening = [c.source for c in kept if c.cell_type == "markdown"][:4]
    assert opening[0].startswith("# ")
    assert not any("papermill" in s or "next cell" in s or s.startswith("## Setup")
                   or "parameters are checked" in s for s in opening)
    assert len([c for c in kept if c.cell_type == "markdown"]) >= 5


def test_years_without_a_thousands_separator():
    frame = pd.DataFrame({"population": [653867], "population_year": pd.array([2019], "Int64")})
    html = reader.frame_html(frame)
    assert ">653,867<" in html and ">2019<" in html and "2,019" not in html
