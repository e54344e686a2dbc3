"""A city's profile as tidy tables: roles, policy areas, activities, strategy, funding, ...

One function per section of the profile, each returning one row per fact with the section's
``source`` and ``locator``; a section the profile does not give is an empty table with its
columns. The flags table is in ``flags``.
"""

from __future__ import annotations

import pandas as pd

from .frames import cite, frame
from .models import Profile


def roles(p: Profile) -> pd.DataFrame:
    """One row per listed innovation role, with the stated count of roles beside it."""
    cols = ["city", "role", "position", "stated_count", "listed_count", "source", "locator"]
    if p.roles is None:
        return frame([], cols)
    r = p.roles
    return frame([{"city": p.city, "role": name, "position": i, "stated_count": r.stated_count,
                    "listed_count": len(r.listed), **cite(r)}
                   for i, name in enumerate(r.listed, 1)], cols)


def policy_areas(p: Profile) -> pd.DataFrame:
    """One row per goal (or one per area without goals) of the city's policy areas of focus."""
    cols = ["city", "policy_area", "goal", "target_year", "means", "source", "locator"]
    rows = []
    for a in p.policy_areas:
        goals = a.goals or [None]
        for g in goals:
            rows.append({"city": p.city, "policy_area": a.name,
                         "goal": g.label if g else None,
                         "target_year": g.target_year if g else None,
                         "means": "; ".join(a.means), **cite(a)})
    return frame(rows, cols, ints=["target_year"])


def activities(p: Profile) -> pd.DataFrame:
    """The seven numbered survey options, marked where the city lists the activity itself."""
    cols = ["city", "rank", "option", "city_activity", "examples", "source", "locator"]
    if p.activities is None:
        return frame([], cols)
    a = p.activities
    own = {act.survey_option: act for act in a.common}
    rows = [{"city": p.city, "rank": o.rank, "option": o.label,
             "city_activity": own[o.label].name if o.label in own else None,
             "examples": "; ".join(own[o.label].examples) if o.label in own else None,
             **cite(a)} for o in a.ranking]
    return frame(rows, cols)


def strategy(p: Profile) -> pd.DataFrame:
    """The city's strategy answers with the survey-wide share quoted beside each."""
    cols = ["city", "question", "answer", "survey_value", "survey_wording", "survey_round",
            "source", "locator"]
    return frame([{"city": p.city, "question": s.question, "answer": s.answer,
                    "survey_value": s.survey_share.value if s.survey_share else None,
                    "survey_wording": s.survey_share.wording if s.survey_share else None,
                    "survey_round": s.survey_share.survey_round if s.survey_share else None,
                    **cite(s)} for s in p.strategy], cols)


def teams(p: Profile) -> pd.DataFrame:
    """One row per innovation team with its staff."""
    cols = ["city", "team", "location", "staff", "source", "locator"]
    ts = p.teams
    rows = [] if ts is None else [{"city": p.city, "team": t.name, "location": t.location,
                                   "staff": t.staff, **cite(ts)} for t in ts.teams]
    return frame(rows, cols)


def funding_sources(p: Profile) -> pd.DataFrame:
    """The city's top funding sources, each with its level and definition."""
    cols = ["city", "funding_source", "level", "definition", "examples", "source", "locator"]
    fs = p.funding_sources
    return frame([] if fs is None else
                 [{"city": p.city, "funding_source": s.name, "level": s.level,
                   "definition": s.definition, "examples": "; ".join(s.examples), **cite(fs)}
                  for s in fs.sources], cols)


def funded_activities(p: Profile) -> pd.DataFrame:
    """Survey counts of cities funding each activity, as printed, with alignment and city flags."""
    cols = ["position", "activity", "cities", "aligned", "city_funds", "source", "locator"]
    if p.funded_activities is None:
        return frame([], cols)
    fa = p.funded_activities
    return frame([{"position": c.position, "activity": c.activity, "cities": c.cities,
                   "aligned": c.aligned, "city_funds": c.activity in fa.city_funds, **cite(fa)}
                  for c in fa.survey_counts], cols, ints=["cities"])


def funding_uses(p: Profile) -> pd.DataFrame:
    """What the city's innovation funding is used for; quoted survey shares where given."""
    cols = ["city", "use", "survey_value", "survey_wording", "survey_round", "source", "locator"]
    if p.funding_use is None:
        return frame([], cols)
    fu = p.funding_use
    rows = [{"city": p.city, "use": u, "survey_value": None, "survey_wording": None,
             "survey_round": None, **cite(fu)} for u in fu.uses]
    rows += [{"city": p.city, "use": q.use, "survey_value": q.survey_share.value,
              "survey_wording": q.survey_share.wording,
              "survey_round": q.survey_share.survey_round, **cite(fu)} for q in fu.quoted]
    return frame(rows, cols)


def partnerships(p: Profile) -> pd.DataFrame:
    """Partners for innovation and for data, one row each."""
    cols = ["city", "kind", "partner", "examples", "source", "locator"]
    if p.partnerships is None:
        return frame([], cols)
    ps = p.partnerships
    rows = [{"city": p.city, "kind": kind, "partner": x.name, "examples": "; ".join(x.examples),
             **cite(ps)}
            for kind, items in (("innovation", ps.partners), ("data", ps.data_partners))
            for x in items]
    return frame(rows, cols)


def data_availability(p: Profile) -> pd.DataFrame:
    """Data availability status of each policy area listed in the profile."""
    cols = ["city", "policy_area", "status", "source", "locator"]
    if p.data_availability is None:
        return frame([], cols)
    da = p.data_availability
    return frame([{"city": p.city, "policy_area": a.area, "status": a.status, **cite(da)}
                   for a in da.areas], cols)
