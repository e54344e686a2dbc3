"""Headline sentences of a city's profile against the survey (notebook 01), for any city.

Each sentence compares the city's answer with a survey-wide share from ``data/``; where the
survey has no figure for the answer, the sentence says so instead of comparing.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from ..store.models import Profile
from ..survey.rounds import QUOTED_FIRST
from . import profile

#: Preferred survey round for a headline: the pooled one the profile pages quote, then 2018.
ROUND_ORDER = QUOTED_FIRST
ROUND_RANK = {r: i for i, r in enumerate(ROUND_ORDER)}


def _share(row: pd.Series) -> str:
    if pd.notna(row["value"]):
        return f"{row['value']:g}% of the cities surveyed"
    return f"\u201c{row['wording']}\u201d"


def _answer(city: str, question: str, answer: str) -> str:
    """The city's answer as a clause: "Helsinki has an explicit innovation strategy"."""
    if question == "explicit innovation strategy" and answer.strip().casefold() in {"yes", "no"}:
        has = "has an" if answer.strip().casefold() == "yes" else "has no"
        return f"{city} {has} explicit innovation strategy"
    return f"{city}'s {question} is \u201c{answer}\u201d"


def strategy_headlines(p: Profile, shares: pd.DataFrame) -> list[str]:
    """Per strategy question: the city's answer and the survey share of the same answer."""
    out = []
    for (question, answer), rows in shares.groupby(["question", "city_answer"], sort=False):
        mine = rows[rows["matches_city"] & (rows["value"].notna() | rows["wording"].notna())]
        if mine.empty:
            out.append(f"{_answer(p.city, question, answer)}; the survey gives no share of "
                       "cities with that answer.")
            continue
        best = mine.assign(_o=mine["survey_round"].map(ROUND_RANK).fillna(9),
                           _n=mine["value"].isna()).sort_values(["_o", "_n"]).iloc[0]
        out.append(f"{_answer(p.city, question, answer)}, as for {_share(best)} "
                   f"({best['survey_round']}).")
    return out


def roles_headline(p: Profile, survey: pd.DataFrame) -> str | None:
    """The city's listed roles against the role most cities surveyed have (highest share).

    The survey's other roles the city does not list follow, each role family once (the survey
    has "project management" in 2018 and "project managers" in 2018+2020) and never the family
    of the most common role, which the sentence has already placed.
    """
    listed = data.roles(p)
    if len(listed) == 0:
        return None
    shares = profile.role_shares(p, survey)
    survey_rows = shares[shares["value"].notna()]
    roles = f"{len(listed)} innovation role{'' if len(listed) == 1 else 's'}"
    if survey_rows.empty:
        return f"{p.city} lists {roles}; the survey gives no role shares."
    family = survey_rows["label"].map(lambda label: profile.role_family(label) or label)
    matched = set(family[survey_rows["status"] == "matched"])
    top = survey_rows.sort_values("value", ascending=False).iloc[0]
    has_top = family[top.name] in matched
    if len(listed) == 1:
        where = "is the one it lists" if has_top else "is not the one it lists"
    else:
        where = "is among them" if has_top else "is not among them"
    others: dict[str, str] = {}  # each family the city does not list, by its first label
    for label, fam in zip(survey_rows["label"], family, strict=True):
        if fam not in matched and fam != family[top.name]:
            others.setdefault(fam, label)
    out = (f"{p.city} lists {roles}; the role most cities surveyed have, "
           f"{top['label']} ({top['value']:g}%, {top['survey_round']}), {where}")
    if others:
        out += f"; not listed{'' if has_top else ' either'}: {'; '.join(others.values())}"
    return out + "."


def headlines(p: Profile, survey: pd.DataFrame | None) -> list[str]:
    """Two or three findings of notebook 01 (none against the survey when it is switched off)."""
    if survey is None:
        return [f"{p.city}'s profile was read without survey-wide figures (comparison off)."]
    out = strategy_headlines(p, profile.strategy_shares(p, survey))
    roles = roles_headline(p, survey)
    return out[:2] + ([roles] if roles else [])


def findings(p: Profile, survey: pd.DataFrame | None) -> tuple[dict[str, object], list[str]]:
    """The key findings of notebook 01 and its headline sentences, for the report."""
    found: dict[str, object] = {
        "Innovation roles listed": len(data.roles(p)),
        "Policy areas of focus": len(p.policy_areas),
        "Data-quality flags": len(p.flags),
    }
    return found, headlines(p, survey)
