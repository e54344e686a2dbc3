"""Notebook 02 (the funding mix): runs with other parameters and data; bad parameters refused
in one line."""

from __future__ import annotations

import pytest
from helpers import FIXTURE_DATA, assert_clean, stdout_of

from city_innovation import paths
from city_innovation.errors import ParameterError
from city_innovation.params import FundingParams

NB = "02_funding_mix.ipynb"
FIGURES = ["02-activities-funded.png", "02-dedicated-funding.png", "02-funding-levels.png",
           "02-region-instruments.png"]


@pytest.mark.notebook
def test_share_of_the_2018_base(run_notebook, tmp_path):
    out = tmp_path / "figures"
    nb = run_notebook(NB, survey_round="2018", measure="share", output_dir=str(out))
    assert_clean(nb, figures=4)
    text = stdout_of(nb)
    assert ("Base of the shares: 89 cities responding to the 2018 survey (round 2018; "
            "oecd-innovation-snapshots, pnd-2019)") in text
    assert ("Most often funded across the survey: Launching or sustaining a project (88.8%, 79 "
            "cities; an option of round 2018 only). Under the pairing of labels and counts "
            "chosen in flag funded-activities-misaligned, the city's own funded activities rank "
            "3 and 4 of 4: Investing in digital systems (40.4%, 36 cities);") in text
    assert "No survey-wide figure on uses for survey_round '2018'." in text
    assert sorted(p.name for p in out.iterdir()) == FIGURES


@pytest.mark.notebook
def test_fixture_city_and_region(run_notebook):
    nb = run_notebook(NB, data_dir=FIXTURE_DATA, city="Testville", region="Test Region")
    assert_clean(nb, figures=4)
    text = stdout_of(nb)
    assert "City: Testville (Nowhere); region: Test Region; survey rounds: both" in text
    assert "Testville's answer on dedicated innovation funding: no." in text
    assert "Named by several: ERDF (2 themes)." in text
    assert ("Named as funding at both scales: Local public (city or region). International / "
            "EU: named by the region only. Local public (city or region): named by the city; "
            "named by the region. Non-financial (in kind): named by the city only.") in text
    assert ("Test Region's file gives no definition of smart specialisation (fact "
            "s3-concept).") in text


def test_share_without_a_base_is_refused(monkeypatch):
    monkeypatch.setenv(paths.ENV_VAR, str(FIXTURE_DATA))
    with pytest.raises(ParameterError) as info:
        FundingParams.parse(city="Testville", region="Test Region", measure="share")
    assert str(info.value).startswith(
        "parameter measure: 'share' cannot be computed for survey_round 'both': "
        "survey/benchmarks.csv: no number of responding cities")
    assert FundingParams.parse(city="Testville", region="Test Region").measure == "count"


@pytest.mark.parametrize(("values", "message"), [
    ({"region": "Atlantis"},
     "parameter region: region 'Atlantis' not found in regions/ (available: Área Metropolitana "
     "de Lisboa; Attiki; Helsinki-Uusimaa; Île-de-France; Noord-Holland; País Vasco; Stockholm; "
     "Wien)"),
    ({"measure": "ratio"}, "parameter measure: Input should be 'count' or 'share' (got 'ratio')"),
    ({"city": 42}, "parameter city: Input should be a valid string"),
    ({"survey_round": 2019}, "parameter survey_round: Input should be '2018', '2020' or 'both' "
                             "(got '2019')"),
    ({"colour": "red"}, "parameter colour: unknown parameter (allowed: city, region, "
                        "survey_round, measure, output_dir)"),
])
def test_bad_parameters_refused_with_their_name(values, message):
    """(In the notebook, the validation cell raises this: test_notebook_contract.py.)"""
    with pytest.raises(ParameterError) as info:
        FundingParams.parse(**values)
    assert str(info.value) == message


def test_round_given_as_a_number_is_accepted():
    assert FundingParams.parse(survey_round=2018, measure="share").survey_round == "2018"
