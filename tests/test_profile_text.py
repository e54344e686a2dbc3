"""Notebook 01's headlines compare each city's answer with the survey share of that answer."""

from __future__ import annotations

from city_innovation import data
from city_innovation.analysis import profile_text


def test_headlines_follow_each_citys_answers(bench):
    # benchmarks.csv: 50% (2018+2020) have / do not have an explicit strategy; 24% (2018+2020)
    # "specific policy areas/domains only"; "more than half" (words only) work at both levels
    chicago = profile_text.headlines(data.load_profile("Chicago"), bench)
    assert chicago[:2] == [
        "Chicago has no explicit innovation strategy, as for 50% of the cities surveyed "
        "(2018+2020).",
        "Chicago's approach to innovation capacity is \u201cspecific policy areas\u201d, as for "
        "24% of the cities surveyed (2018+2020)."]
    helsinki = profile_text.headlines(data.load_profile("Helsinki"), bench)
    assert helsinki[1].endswith("as for \u201cmore than half of cities surveyed\u201d "
                                "(2018+2020).")
    # Helsinki lists project managers, the role with the highest share (92%, 2018+2020)
    assert helsinki[2] == ("Helsinki lists 7 innovation roles; the role most cities surveyed "
                           "have, project managers (92%, 2018+2020), is among them.")


def test_an_answer_without_a_survey_item_is_said_so(bench):
    lines = profile_text.headlines(data.load_profile("Alexandria"), bench)
    assert ("Alexandria's approach to innovation capacity is \u201cat the departmental "
            "level\u201d; the survey gives no share of cities with that answer.") in lines


def test_without_the_survey():
    assert profile_text.headlines(data.load_profile("Seoul"), None) == [
        "Seoul's profile was read without survey-wide figures (comparison off)."]


def test_one_listed_role_is_said_in_the_singular(bench):
    """Vienna's page lists one innovation role."""
    vienna = data.load_profile("Vienna")
    assert len(data.roles(vienna)) == 1
    assert profile_text.roles_headline(vienna, bench) == (
        "Vienna lists 1 innovation role; the role most cities surveyed have, project managers "
        "(92%, 2018+2020), is the one it lists; not listed: community engagement; data "
        "scientist; designer; communications.")


def test_the_roles_not_listed_name_each_role_family_once_and_not_the_top_one(bench):
    """Toronto lists one role, a data scientist. The survey's top role family (project managers,
    92% in 2018+2020; project management, 82% in 2018) is neither claimed nor listed again."""
    toronto = data.load_profile("Toronto")
    assert data.roles(toronto)["role"].tolist() == ["Data scientist"]
    assert profile_text.roles_headline(toronto, bench) == (
        "Toronto lists 1 innovation role; the role most cities surveyed have, project managers "
        "(92%, 2018+2020), is not the one it lists; not listed either: community engagement; "
        "designer; communications.")


def test_findings_count_the_profile_and_carry_the_headlines(bench):
    survey = data.benchmarks_for_round(bench, "both")
    for city, expected in [
            ("Helsinki", {"Innovation roles listed": 7, "Policy areas of focus": 2,
                          "Data-quality flags": 15}),
            ("Curridabat", {"Innovation roles listed": 0, "Policy areas of focus": 2,
                            "Data-quality flags": 4})]:
        p = data.load_profile(city)
        found, headlines = profile_text.findings(p, survey)
        assert found == expected
        assert headlines == profile_text.headlines(p, survey)
    assert len(profile_text.findings(data.load_profile("Curridabat"), survey)[1]) == 2
