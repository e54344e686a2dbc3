"""Comparisons across city profiles, on the invented cities of tests/fixtures/data (Testville,
Northby without dedicated funding, Southfield cut off after its strategy); values by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import FIXTURE_DATA

from city_innovation import data
from city_innovation.analysis import peers
from city_innovation.errors import ParameterError


@pytest.fixture(scope="module")
def trio():
    return peers.load(["Testville", "Northby", "Southfield"], FIXTURE_DATA)


def test_peer_cities_default_every_other_city_and_refuse_unknown_ones():
    assert peers.peer_cities("testville", None, FIXTURE_DATA) == ["Northby", "Southfield"]
    assert peers.peer_cities("Testville", ["southfield"], FIXTURE_DATA) == ["Southfield"]
    with pytest.raises(ParameterError, match=r"^parameter peers: no profile for 'Atlantis' "
                                             r"\(allowed: 'Northby', 'Southfield'\)$"):
        peers.peer_cities("Testville", ["Atlantis"], FIXTURE_DATA)
    for bad in ([], ["Testville"], ["Northby", "northby"]):
        with pytest.raises(ParameterError, match="each once"):
            peers.peer_cities("Testville", bad, FIXTURE_DATA)
    with pytest.raises(ParameterError, match="is not a list"):
        peers.peer_cities("Testville", "Northby", FIXTURE_DATA)


def test_coverage_tells_absent_from_not_applicable(trio):
    cov = peers.coverage(trio).set_index(["city", "section"])["status"]
    assert cov["Northby", "funding sources"] == peers.NOT_APPLICABLE  # no dedicated funding
    assert cov["Southfield", "funding sources"] == peers.ABSENT
    assert cov["Southfield", "success factors"] == peers.ABSENT
    assert cov["Northby", "policy areas"] == peers.PRESENT  # "does not prioritise" is an answer
    assert len(cov) == 3 * len(peers.SECTIONS)


def test_option_matrix_and_peer_shares(trio):
    aims = peers.option_matrix(trio, "helps_to")
    assert list(aims["option"].cat.categories) == ["Improve service delivery",
                                                   "Improve resident outcomes"]
    shares = peers.option_shares(aims, "Testville").set_index("option")
    # peers Northby and Southfield: resident outcomes 2 of 2, service delivery 1 of 2
    assert shares.loc["Improve resident outcomes", ["peers_choosing", "peer_share"]].tolist() \
        == [2, 100.0]
    assert shares.loc["Improve service delivery", "peer_share"] == 50.0
    assert shares["city_chose"].to_dict() == {"Improve resident outcomes": False,
                                              "Improve service delivery": True}
    factors = peers.option_matrix(trio, "success_factors")
    assert set(factors["city"]) == {"Testville", "Northby"}  # Southfield's page lacks them
    # "Leadership from Mayor" and "from City Manager" are one option
    lead = factors[factors["option"] == peers.LEADERSHIP]
    assert lead["chosen"].tolist() == [True, True]
    assert peers.option_shares(factors, "Testville")["peers_answering"].unique().tolist() == [1]


def test_jaccard_similarity_over_chosen_options(trio):
    assert peers.jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert peers.jaccard(set(), set()) == 0.0
    sim = peers.similarity(trio)
    # Testville {service delivery, funding, leadership}; Northby adds resident outcomes and
    # measurement: 3 shared of 5 -> 0.6. Southfield lacks success factors: left out.
    assert list(sim.index) == ["Testville", "Northby"]
    assert sim.loc["Testville", "Northby"] == sim.loc["Northby", "Testville"] == 0.6
    assert peers.most_alike(sim, "Testville").to_dict("records") == [
        {"city": "Northby", "similarity": 0.6}]
    assert peers.most_alike(sim, "Southfield").empty


def test_strategy_shares_beside_the_survey(trio):
    bench = data.benchmarks(FIXTURE_DATA)
    shares = peers.strategy_shares(trio, "Testville", bench).set_index("answer")
    explicit = shares.loc["explicit strategy"]
    assert (explicit["peers_answering"], explicit["peers_with_answer"],
            explicit["peer_share"]) == (2, 1, 50.0)
    assert not explicit["city_answer"] and pd.isna(explicit["survey_value"])
    both = shares.loc["both"]  # only Northby states an approach
    assert (both["peers_answering"], both["peer_share"]) == (1, 100.0)
    assert both["survey_wording"] == "more than half" and both["survey_round"] == "2018+2020"
    assert shares.loc["holistic", "city_answer"]


def test_roles_and_team_staff(trio):
    roles = peers.roles(trio).set_index("city")
    assert roles.loc["Northby", ["stated", "listed", "gap"]].tolist() == [4, 2, 2]
    assert roles.loc["Testville", "gap"] == 0 and "Southfield" not in roles.index
    staff = peers.team_staff(trio).set_index("city")
    assert staff.loc["Northby", "per_100k"] == 2.0  # 6 staff / 300,000 inhabitants
    assert staff.loc["Testville", "named_teams_staff"] == 4  # one named team, no single figure
    assert math.isnan(staff.loc["Testville", "per_100k"])
    assert staff.loc["Testville", "missing"] == "staff given per team, not as one figure"
    assert staff.loc["Southfield", "missing"] == "team section absent from the page"


def test_missing_note_and_flags(trio):
    note = peers.missing_note(trio, ["Testville", "Northby"], "success factors")
    assert note == ("2 of 3 cities; not shown: Southfield (success factors absent from the "
                    "page).")
    # a figure of the others compared with Testville counts the others only
    assert peers.missing_note(trio, ["Testville", "Northby"], "aims", besides="Testville") == (
        "1 of 2 peers; not shown: Southfield (aims absent from the page).")
    assert peers.missing_note(trio, ["Testville", "Northby", "Southfield"], "aims",
                              besides="Testville") == "2 of 2 peers."
    flags = peers.flags(trio)
    assert set(flags["city"]) == {"Southfield"} | set(
        data.flags(trio[0]).assign(city="Testville")["city"])
    assert (flags["city"] == "Southfield").sum() == 2


def test_strategy_table_reads_approach_and_policy_status(trio):
    table = peers.strategy(trio).set_index("city")
    assert table.loc["Northby", "approach"] == "both"
    assert table.loc["Northby", "policy_areas_status"] == "none_prioritised"
    assert table.loc["Testville", "policy_areas"] == "Transport and mobility; Social inclusion "\
        "and equity"
    assert pd.isna(table.loc["Southfield", "approach"])


def test_default_peers_are_the_most_alike_then_closest_in_population(monkeypatch):
    from city_innovation import data

    known = data.available_cities()
    profiles = peers.load(known)
    ranked = peers.ranking(profiles, "Helsinki")
    assert len(ranked) == len(known) - 1 and "Helsinki" not in set(ranked["city"])
    sims = ranked["similarity"].dropna().tolist()
    assert sims == sorted(sims, reverse=True)
    # the ranking's first value is the Jaccard index of Helsinki and that city's options
    sets = peers.chosen_options(profiles)
    first = ranked["city"].iloc[0]
    assert ranked["similarity"].iloc[0] == round(peers.jaccard(sets["Helsinki"], sets[first]), 3)
    chosen = peers.peer_cities("Helsinki", None)
    assert chosen == ranked["city"].head(peers.DEFAULT_PEERS).tolist()
    assert peers.peer_rule("Helsinki", chosen).startswith(
        f"Helsinki beside the {peers.DEFAULT_PEERS} of {len(known) - 1} other cities most alike")
    assert peers.peer_rule("Helsinki", ["Vienna"]) == (
        "Helsinki beside the 1 peer(s) named in the parameters: Vienna.")
    assert peers.peer_rule("Testville", ["Northby", "Southfield"], FIXTURE_DATA).startswith(
        "Testville beside every other city with a profile (2)")


def test_ranking_falls_back_on_population_ratio(trio):
    # Southfield gives no success factors: no Jaccard index, so it comes after Northby
    ranked = peers.ranking(trio, "Testville")
    assert ranked["similarity"].isna().tolist() == [False, True]
    assert ranked["city"].tolist() == ["Northby", "Southfield"]


def _shipped(city: str) -> tuple[list, pd.DataFrame]:
    """The profiles notebook 04 loads for ``city`` and its default peers, and their most alike
    table."""
    from city_innovation.params import PeersParams

    params = PeersParams.parse(city=city)
    profiles = peers.load([city, *params.peers])
    return profiles, peers.most_alike(peers.similarity(profiles), city)


def test_staff_note_helsinki_and_vienna():
    from city_innovation.analysis import peer_text

    left = ("not shown: Chelsea (no staff figure); Curridabat (team section absent from the "
            "page). Per 100,000 not computed: Helsinki (staff given per team, not as one figure)")
    profiles, _ = _shipped("Helsinki")
    assert peer_text.staff_note(peers.team_staff(profiles), len(profiles)) == (
        f"7 of 9 cities; {left}. Populations are of the year each page gives.")
    profiles, _ = _shipped("Vienna")
    assert peer_text.staff_note(peers.team_staff(profiles), len(profiles)) == (
        f"7 of 9 cities; {left}; Toronto (staff given per team, not as one figure). "
        "Populations are of the year each page gives.")


def test_alike_sentence_and_findings_helsinki_and_vienna():
    from city_innovation.analysis import peer_text

    profiles, alike = _shipped("Helsinki")
    sets = peers.chosen_options(profiles)
    assert peer_text.alike_sentence(alike, sets, "Helsinki").startswith(
        "Vienna is most alike Helsinki (Jaccard 0.64): 7 shared option(s) of 11 chosen by "
        "either: aim: Anticipate and manage future challenges; ")
    assert peers.findings(8, alike, peers.flags(profiles)) == {
        "Peer cities compared": 8, "Most alike peer": "Vienna",
        "Similarity to the most alike peer (Jaccard, 0-1)": 0.64,
        "Data-quality flags listed": 52}
    profiles, alike = _shipped("Vienna")
    assert peer_text.alike_sentence(alike, peers.chosen_options(profiles), "Vienna").endswith(
        "success factor: Engagement with partners; success factor: Leadership from the city's "
        "leader.")
    assert peers.findings(8, alike, peers.flags(profiles))["Most alike peer"] == "Chelsea"
    empty = alike.iloc[0:0]
    assert peer_text.alike_sentence(empty, {}, "Vienna") == (
        "No peer answers both lists, so no similarity with Vienna is computed.")
    assert peers.findings(0, empty, peers.flags([]))["Most alike peer"] == "none"
