"""Changes between two page versions (city_innovation.analysis.across_rounds), on invented versions
whose results are worked out by hand, and the cross-city counts on the committed versions."""

from __future__ import annotations

import pandas as pd
import pytest

from city_innovation.analysis import across_rounds
from city_innovation.store.models import Profile

SRC = {"source": "invented"}


def page(pid: str, rnd: str, **fields: object) -> Profile:
    return Profile.model_validate({"city": "Testville", "survey_rounds": [rnd], **fields,
                                   "page": {"id": pid, "rendering": "full", "added": 1,
                                            "survey_round": rnd}})


@pytest.fixture(scope="module")
def older() -> Profile:
    return page("2018-full", "2018",
                mayor={"name": "Ann Older", "title": "Mayor", **SRC},
                population={"value": 100000, "year": 2016, **SRC},
                innovation_officers={"names": ["Olli One"], **SRC},
                helps_to={"items": ["Aim A", "Aim B", "Aim C"], **SRC},
                success_factors={"items": ["Factor X", "Factor Y"], **SRC},
                policy_areas_status="none_prioritised",
                roles={"stated_count": 2, "listed": ["Designer"], **SRC},
                strategy=[{"question": "explicit innovation strategy", "answer": "yes",
                           "survey_share": {"value": 44, "wording": "44% of cities surveyed"},
                           **SRC}],
                teams={"staff": 4, **SRC})


@pytest.fixture(scope="module")
def newer() -> Profile:
    return page("2020-full", "2020",
                mayor={"name": "Ann Older", "title": "Mayor", **SRC},
                population={"value": 110000, "year": 2019, **SRC},
                innovation_officers={"names": ["Tina Two"], **SRC},
                helps_to={"items": ["aim b ", "Aim C", "Aim D", "Aim E"], **SRC},
                success_factors={"items": ["Factor Y", "Factor X"], **SRC},
                policy_areas=[{"name": "Health", **SRC}], policy_areas_status="listed",
                innovation_terms={"items": ["Data analytics"], **SRC},
                strategy=[{"question": "explicit innovation strategy", "answer": "yes",
                           "survey_share": {"value": 50, "wording": "50% of cities surveyed"},
                           **SRC}])


def test_items_kept_added_dropped_and_not_in_a_page(older, newer):
    changes = across_rounds.item_changes(older, newer)
    status = {(r.section, r.item): str(r.status) for r in changes.itertuples()}
    # aims: A dropped; B (other case and spacing) and C kept; D and E added
    assert status[("helps_to", "Aim A")] == "dropped"
    assert status[("helps_to", "Aim B")] == "kept" and ("helps_to", "aim b ") not in status
    assert status[("helps_to", "Aim D")] == status[("helps_to", "Aim E")] == "added"
    # a new order is no change
    assert {status[("success_factors", f)] for f in ("Factor X", "Factor Y")} == {"kept"}
    # none prioritised -> one area listed: added
    assert status[("policy_areas", "Health")] == "added"
    # roles only in the older page, terms only in the newer: never dropped or added
    assert status[("roles", "Designer")] == across_rounds.NOT_IN_NEWER
    assert status[("innovation_terms", "Data analytics")] == across_rounds.NOT_IN_OLDER
    assert len(changes) == 5 + 2 + 1 + 1 + 1


def test_section_summary_counts(older, newer):
    s = across_rounds.section_summary(older, newer)
    aims = s.loc["Aims (innovation is helping to)"]
    assert (aims["older_page"], aims["newer_page"], aims["kept"], aims["added"],
            aims["dropped"]) == (3, 4, 2, 2, 1)
    areas = s.loc["Policy areas"]
    assert (areas["older_page"], areas["newer_page"], areas["added"]) == (0, 1, 1)
    roles = s.loc["Innovation roles listed"]
    assert roles["older_page"] == 1 and pd.isna(roles["newer_page"]) and pd.isna(roles["dropped"])


def test_facts_and_sentences(older, newer):
    f = across_rounds.facts(older, newer)["change"]
    assert f["Leader"] == "same" and f["Lead innovation officers"] == "changed"
    assert f["Population"] == "changed" and f["Innovation team staff"] == across_rounds.NOT_IN_NEWER
    assert f["Survey share quoted (approach)"] == "in neither page"
    text = "\n".join(across_rounds.fact_sentences(older, newer))
    # 110,000 - 100,000 = +10,000, +10.0% of 100,000
    assert "Population moved by +10,000 (+10.0%) between the population years 2016 and 2019." \
        in text
    assert "Lead innovation officers: Olli One in the older page, Tina Two in the newer." in text
    sections = across_rounds.section_sentences(older, newer)
    assert sections[0] == ("Aims (innovation is helping to): 2 kept; 2 added ('Aim D', "
                           "'Aim E'); 1 dropped ('Aim A').")
    assert sections[3] == ("Innovation roles listed: not in the 2020-full page, so no change "
                           "can be read (1 role in the other).")
    assert not any("dropped ('Designer'" in s for s in sections)


def test_findings_use_reader_labels(older, newer):
    assert across_rounds.findings(older, newer) == {
        "Versions compared": "2018-full and 2020-full", "Aims added": 2, "Aims dropped": 1,
        "Success factors added": 0, "Success factors dropped": 0, "Leader changed": False,
        "Innovation officers changed": True}
    assert across_rounds.headlines(older, newer)[0].startswith(
        "Testville's page versions 2018-full (2018 round) and 2020-full (2020 round)")


def test_across_cities_on_the_committed_versions():
    """Dedicated funding: added by Curridabat (2018 -> 2020 page) and Stockholm (2018 ->
    2020 pages), in both pages of five cities and in neither page of two."""
    counts = across_rounds.across_cities()
    row = counts[(counts["section"] == "Critical success factors")
                 & (counts["item"] == "Dedicated funding")].iloc[0]
    assert (row["added"], row["dropped"], row["kept"], row["cities_compared"]) == (2, 0, 5, 9)
    assert across_rounds.across_sentences(counts)[1].startswith(
        "Critical success factors, 9 cities compared: most often added: 'Dedicated funding' "
        "(2 of 9 cities)")


def test_the_same_population_with_another_year_is_not_a_change(older):
    later = older.model_copy(update={"population": older.population.model_copy(
        update={"year": 2018}), "page": older.page.model_copy(update={"id": "2020-full"})})
    text = across_rounds.fact_sentences(older, later)
    assert "Population: 100,000 in both pages, dated 2016 in the older and 2018 in the newer." \
        in text
    assert not any(s.startswith("Population moved") for s in text)
