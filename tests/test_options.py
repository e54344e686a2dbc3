"""The survey's answer options: every city's strategy answer finds the survey items on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_shared_profiles import shared_texts

from city_innovation import data
from city_innovation.analysis import profile
from city_innovation.ingest.profile_page import parse_file
from city_innovation.store.models import Profile
from city_innovation.survey import options, questions, rounds

PROFILES = sorted((Path(__file__).parents[1] / "data" / "profiles").glob("*.yaml"))


@pytest.mark.parametrize(("question", "answer", "item", "relation"), [
    ("approach to innovation capacity", "specific policy areas",
     "specific policy areas/domains only (older profile wording)", "describes"),
    ("approach to innovation capacity", "specific policy areas",
     "prioritises specific policy areas", "describes"),
    ("approach to innovation capacity", "holistic/macro level",
     "holistic/macro level only", "describes"),
    ("approach to innovation capacity", "holistic/macro level",
     "prioritises specific policy areas", None),
    ("approach to innovation capacity", "both holistic/macro level and specific policy areas",
     "prioritises specific policy areas", "may include"),
    ("approach to innovation capacity", "both holistic/macro level and specific policy areas",
     "holistic/macro level only", None),
    ("approach to innovation capacity", "at the departmental level",
     "holistic/macro level only", None),
    ("explicit innovation strategy", "no", "does not have an explicit innovation strategy",
     "describes"),
    ("explicit innovation strategy", "no", "has a formal innovation strategy", None),
    ("explicit innovation strategy", "yes",
     "has an explicit innovation strategy (older city-profile wording)", "describes"),
])
def test_answer_relation(question, answer, item, relation):
    assert options.answer_relation(question, answer, item) == relation


def _check_marked(p: Profile, bench) -> list[str]:
    """Problems: answered questions with survey items where no item is marked as the city's,
    and answers without items whose note does not say so."""
    shares = profile.strategy_shares(p, bench)
    caveats = " ".join(profile.share_caveats(shares, p.city))
    problems = []
    for (q, answer), rows in shares.groupby(["question", "city_answer"], sort=False):
        marked = rows["matches_city"] | rows["may_include_city"]
        if options.answer_has_items(q, answer):
            if not marked.any():
                problems.append(f"{p.city}: no item marked for {answer!r} on {q}")
        elif marked.any() or f"no item for {p.city}'s answer \u201c{answer}\u201d" not in caveats:
            problems.append(f"{p.city}: note does not say the survey has no item for {answer!r}")
    return problems


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_stored_profile_gets_its_answer_marked(path, bench):
    p = data.load_profile(path.stem)
    assert p.strategy, f"{path.name} has no strategy answers"
    assert _check_marked(p, bench) == []


def test_every_shared_page_gets_its_answer_marked(bench):
    texts = shared_texts()
    problems, answered = [], 0
    for text in texts:
        p = parse_file(text).profile
        answered += len(p.strategy)
        problems += _check_marked(p, bench)
    assert answered >= len(texts), "the pages' strategy answers were not read"
    assert problems == []


def test_approach_answers_found_on_profiles_are_all_marked(bench):
    """Chicago answers "specific policy areas": both survey items describing it are marked."""
    shares = profile.strategy_shares(data.load_profile("Chicago"), bench)
    approach = shares[shares["question"] == questions.APPROACH]
    assert sorted(approach.loc[approach["matches_city"], "item"]) == [
        "prioritises specific policy areas", "specific policy areas/domains only",
        "specific policy areas/domains only (older profile wording)"]
    assert not approach["may_include_city"].any()


# --- the survey's question keys (survey/questions.py) -------------------------------------------


def test_every_question_key_is_in_benchmarks_csv(bench):
    asked = set(bench["question"])
    assert [q for q in questions.QUESTIONS if q not in asked] == []
    assert [p for p in questions.PREFIXES if not any(q.startswith(p) for q in asked)] == []
    pairs = set(zip(bench["question"], bench["item"], strict=True))
    assert [pair for pair in questions.ITEMS if pair not in pairs] == []


def test_respondent_rows_count_each_round(bench):
    rows = rounds.respondent_rows(bench)
    assert set(rows["survey_round"]) <= {*rounds.ROUNDS, rounds.POOLED}
    assert set(rows["question"]) == {questions.RESPONDENTS}


def test_round_labels_follow_the_rounds():
    assert rounds.ROUNDS == ("2018", "2020")
    assert set(rounds.ROUND_ROWS) == set(rounds.BASE_ROUNDS) == set(rounds.ROUND_CHOICES)
    assert set(rounds.QUOTED_FIRST) == set(rounds.ROUND_ROWS["both"]) == set(rounds.PAGE_ROUND_OF)
