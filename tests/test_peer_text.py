"""Sentences of the peer comparison follow the data they are given (hand-worked tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from city_innovation.analysis import peer_text, peers

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture
def trio():
    return peers.load(["Testville", "Northby", "Southfield"], FIXTURE_DATA)


def _shares(rows):
    return pd.DataFrame(rows, columns=["option", "peers_choosing", "peers_answering",
                                       "peer_share", "city_chose"])


AIMS = _shares([["Improve service delivery", 3, 4, 75.0, False],
                ["Anticipate", 3, 4, 75.0, True],
                ["Save costs", 1, 4, 25.0, True],
                ["Vibrant economy", 0, 4, 0.0, True]])
FACTORS = _shares([["Dedicated funding", 4, 4, 100.0, True],
                   ["Dedicated team", 1, 4, 25.0, False]])


def test_option_sentence_names_the_shared_and_the_lone_options():
    assert peer_text.option_sentence(AIMS, "X", "aims") == (
        "Named by most peers: Improve service delivery (3 of 4 peers, 75%). Of X's 3 aims, 1 is "
        "named by more than half of the peers (Anticipate). Only X names: Vibrant economy.")
    assert peer_text.option_sentence(AIMS.assign(peers_answering=0), "X", "aims") == \
        "No peer gives its aims."


def test_agreement_compares_the_top_choices():
    assert peer_text.agreement_sentence(FACTORS, AIMS) == (
        "The most-named success factor is named by 100% of the peers answering, the most-named "
        "aim by 75%: on their top choice the peers agree more on success factors than on aims.")
    assert "agree less" in peer_text.agreement_sentence(AIMS, FACTORS)


def test_headlines_follow_the_tables():
    alike = pd.DataFrame({"city": ["Y", "Z"], "similarity": [0.5, 0.2]})
    sets = {"X": frozenset({"aim: A", "aim: B", "success factor: F"}),
            "Y": frozenset({"aim: A", "success factor: F", "aim: C"})}
    assert peer_text.headlines("X", 4, AIMS, FACTORS, alike, sets) == [
        "Of the 4 aims and success factors X names, 2 are named by most of its 4 peers (most "
        "widely: \u201cDedicated funding\u201d); only X names \u201cVibrant economy\u201d.",
        "Y is the peer most alike X: they share 2 of the 4 aims and success factors either names "
        "(Jaccard 0.50)."]


def test_roles_and_staff_sentences():
    roles = pd.DataFrame({"city": ["A", "B", "C"], "stated": pd.array([5, 3, None], "Int64"),
                          "listed": [2, 3, 4], "gap": pd.array([3, 0, None], "Int64"),
                          "roles": ["r", "r", "r"]})
    assert peer_text.roles_sentence(roles) == (
        "2 of 3 pages with a roles section state a number of roles; 1 states more than it lists "
        "(A), so its listed roles understate what it uses.")
    staff = pd.DataFrame({"city": ["A", "B", "C"], "staff": pd.array([4, 100, None], "Int64"),
                          "at_least": [False, True, False],
                          "named_teams_staff": pd.array([None, None, 7], "Int64"),
                          "per_100k": [0.5, 2.0, None]})
    assert peer_text.staff_sentence(staff) == (
        "Team staff over 2 cities giving one figure: from 4 (A) to at least 100 (B), at least 25 "
        "times as many. Per 100,000 inhabitants: 0.5 to 2 over 2 cities (median 1.2); a figure "
        "given as a lower bound is a lower bound here too.")
    shown = peer_text.staff_display(staff)
    assert shown["staff"].tolist()[:2] == [4, "more than 100"]
    assert shown["per_100k"].tolist()[1] == "more than 2"


def test_strategy_sentence_compares_with_the_survey(trio):
    from city_innovation import data

    shares = peers.strategy_shares(trio, "Testville", data.benchmarks())
    r = shares.set_index("answer").loc["explicit strategy"]
    text = peer_text.strategy_sentence(shares, "Testville")
    assert text.startswith(f"{r['peers_with_answer']} of {r['peers_answering']} peers")
    side = "more often" if r["peer_share"] > r["survey_value"] else "less often"
    assert side in text or r["peer_share"] == r["survey_value"]


def test_coverage_sentence(trio):
    cov = peers.coverage(trio)
    text = peer_text.coverage_sentence(cov, 3)
    every = [s for s, g in cov.groupby("section", observed=True)
             if (g["status"] == peers.PRESENT).all()]
    assert text.startswith(f"Sections all 3 pages give: {every[0]}")
