"""Notebook 03 runs with other parameters and data; bad parameters refused in one line."""

from __future__ import annotations

import pytest
from helpers import assert_clean, stdout_of

from city_innovation.errors import ParameterError
from city_innovation.params import ThemesParams

NB = "03_specialisation_themes.ipynb"
FIGURES = ["03_crosswalk.png", "03_focus_areas.png", "03_lineage_flow.png",
           "03_regions_sectors.png", "03_similarity.png", "03_timeline.png"]

def _table(nb, source: str) -> str:
    """The plain-text table shown by the code cell whose source contains ``source``."""
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and source in c["source"])
    return " ".join("".join(o["data"]["text/plain"] for o in cell["outputs"]
                            if o["output_type"] in ("execute_result", "display_data")
                            and "text/plain" in o["data"]).split())


@pytest.mark.notebook
def test_two_periods_jaccard_higher_threshold(run_notebook, tmp_path):
    out = tmp_path / "figures"
    nb = run_notebook(NB, periods=["2018-2020", "2021-2027"], similarity="jaccard",
                      link_threshold=0.3, output_dir=str(out))
    assert_clean(nb, figures=6)
    assert sorted(p.name for p in out.iterdir()) == FIGURES
    text = stdout_of(nb)
    assert "periods 2018-2020, 2021-2027; similarity jaccard with link threshold 0.30" in text
    assert ("With Jaccard focus-area similarity at a threshold of 0.30, 1 of 1 documented link "
            "is also found by similarity; 0 links are documented only and 1 link is inferred "
            "only. 2018-2020 -> 2021-2027: 1 documented, 2 inferred.") in text
    assert ("Themes per period (4 -> 3): 2018-2020: 4 spearheads; 2021-2027: 3 themes. "
            "Canonical focus-area terms per period (section 5): 20 -> 21.") in text
    assert "No chosen period starts before the previous one ends." in text
    links = _table(nb, 'links[["from_period"')
    assert "2014-2020" not in links
    assert links.count("2018-2020") == 2
    assert "0.43 inferred only" in links and "0.33 agree" in links


@pytest.mark.notebook
def test_fixture_region(run_notebook, fixture_data):
    nb = run_notebook(NB, data_dir=fixture_data, region="Test Region", city="Testville",
                      periods=None)
    assert_clean(nb, figures=6)
    text = stdout_of(nb)
    assert "Region Test Region; periods 2010-2015, 2016-2020" in text
    assert "0 data-quality flags recorded for Test Region." in text
    assert "Test Region's file gives no definition of smart specialisation" in text
    assert not any("targets_table" in c["source"] for c in nb["cells"])
    assert "0.94 agree" in _table(nb, 'links[["from_period"')


@pytest.mark.notebook
def test_national_stand_in_and_sub_priorities(run_notebook):
    """Attiki: its own 2014-2020 priorities (labels with sub-priorities, grades A and D), the
    proposed national sectors standing in for 2021-2027; paired here with a city whose profile
    lists no policy areas (Vienna), so the crosswalk says so in one sentence."""
    nb = run_notebook(NB, region="Attiki", city="Vienna", periods=None)
    # timeline, lineage flow, similarity, regions x sectors (no focus areas, no crosswalk)
    assert_clean(nb, figures=4)
    text = stdout_of(nb)
    assert ("Attiki: 10 themes (2014-2020: 3; 2021-2027: 7), 16 sub-priorities; themes by grade "
            "of their source: A 2, D 8. 2021-2027: the national strategy stands in (the region "
            "has no list of its own for that period).") in text
    assert "The sources give Attiki's themes as labels only, without focus areas" in text
    assert "Vienna's profile lists no policy areas of focus and no own innovation" in text
    themes_shown = _table(nb, "theme_list = theme_table.assign(")
    assert "national" in themes_shown and "Aquatic biotechnology" in themes_shown
    assert "Of Attiki's 8 sectors," in text


@pytest.mark.parametrize(("parameters", "message"), [
    ({"periods": ["2014-2020", "2030-2040"]}, "parameter periods: unknown period(s) "
                                              "['2030-2040']"),
    ({"periods": ["2021-2027", "2014-2020"]}, "parameter periods: ['2021-2027', '2014-2020'] "
                                              "must be in chronological order"),
    ({"link_threshold": 1.5}, "parameter link_threshold: 1.5 is outside 0-1"),
])
def test_bad_parameters_refused_with_their_name(parameters, message):
    """(In the notebook, the validation cell raises this: test_notebook_contract.py.)"""
    with pytest.raises(ParameterError) as err:
        ThemesParams.parse(**parameters)
    assert message in str(err.value)
