"""Notebook 01: runs with other parameters and data; bad parameters refused in one line."""

from __future__ import annotations

import pytest
from helpers import FIXTURE_DATA, images_of, outputs_of

from city_innovation import data
from city_innovation.analysis.profile import SURVEY_OFF
from city_innovation.errors import ParameterError
from city_innovation.params import ProfileParams

NAME = "01_innovation_profile.ipynb"


def _text(nb) -> str:
    """Every text and HTML output of an executed notebook, joined."""
    parts = []
    for o in outputs_of(nb):
        parts.append(o.get("text", ""))
        parts += [o.get("data", {}).get(k, "") for k in ("text/plain", "text/html")]
    return "\n".join(parts)


def _no_stderr(nb) -> None:
    errs = [o["text"] for o in outputs_of(nb, "stream") if o["name"] == "stderr"]
    assert errs == []


@pytest.mark.notebook
def test_round_2018_saves_figures(run_notebook, tmp_path):
    figures = tmp_path / "figures"
    nb = run_notebook(NAME, survey_round=2018, output_dir=str(figures))
    assert sorted(p.name for p in figures.iterdir()) == [
        "01-activities.png", "01-data-availability.png", "01-roles.png", "01-strategy.png"]
    assert images_of(nb) == 4
    text = _text(nb)
    assert "cities responding to the 2018 survey" in text
    # No survey-wide rows of the pooled round (the profile's own quotes keep their round).
    assert "cities responding to the 2018 or 2020 survey" not in text
    assert "bloomberg-cities-map-mirror" not in text
    assert "Helsinki's profile states 9 innovation roles and lists 7: 2 stay unnamed." in text
    assert "9% (2018, oecd-2019-ch2) of cities with" in text  # the report figure is named
    assert "Uncertain (flag activity-ranking)" in text
    _no_stderr(nb)


@pytest.mark.notebook
def test_comparison_off_skips_survey_figures(run_notebook):
    nb = run_notebook(NAME, compare_with_survey=False)
    printed = [o["text"] for o in outputs_of(nb, "stream")]
    assert sum(SURVEY_OFF in t for t in printed) == 4
    assert images_of(nb) == 1  # the activities figure is the profile's own content
    text = _text(nb)
    assert "survey_share_on_profile" not in text and "Not drawn" not in text
    _no_stderr(nb)


@pytest.mark.notebook
def test_second_profile_from_fixture_data(run_notebook):
    nb = run_notebook(NAME, data_dir=FIXTURE_DATA, city="Testville",
                      highlight_colour="bluish green")
    text = _text(nb)
    assert "Testville's profile states 3 innovation roles and lists 3." in text
    assert "No survey-wide figure for a differently worded version" in text
    assert "No flag on the numbering in Testville's profile" in text
    assert "No data-quality flag on policy_areas in Testville's profile." in text
    assert images_of(nb) == 4
    _no_stderr(nb)


@pytest.mark.parametrize(("params", "message"), [
    ({"city": "Atlantis"},
     "parameter city: city 'Atlantis' not found in profiles/ (available: "
     + "; ".join(data.available_cities()) + ")"),
    ({"compare_with_survey": "maybe"},
     "parameter compare_with_survey: Input should be a valid boolean, unable to interpret "
     "input (allowed: True or False, got 'maybe')"),
    ({"highlight_colour": "notacolour"},
     "parameter highlight_colour: 'notacolour' is not a colour (allowed: an Okabe-Ito name"),
    ({"survey_round": 2019},
     "parameter survey_round: Input should be '2018', '2020' or 'both' (got '2019')"),
])
def test_bad_parameter_refused_with_its_name_and_what_is_allowed(params, message):
    """(In the notebook, the validation cell raises this: test_notebook_contract.py.)"""
    with pytest.raises(ParameterError) as exc:
        ProfileParams.parse(**params)
    assert str(exc.value).startswith(message)
