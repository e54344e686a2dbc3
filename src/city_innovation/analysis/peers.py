"""Comparisons across city profiles: a city beside other cities of the survey.

Every function takes profiles (:class:`.models.Profile`) and returns a tidy DataFrame with a
``city`` column. Partial profiles are normal: a city without a section is left out of that
comparison and :func:`missing_note` says which cities and why, so that "not in the page" is never
read as "no".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import pandas as pd

from .. import data
from ..errors import ParameterError
from ..store.flags import flags_frame, stacked
from ..store.models import Profile, Source
from ..survey import options, questions
from ..survey.rounds import QUOTED_FIRST
from .similarity import jaccard

PRESENT = "present"
ABSENT = "absent from the page"
NOT_APPLICABLE = "not applicable"
#: Coverage states in display order.
STATES = (PRESENT, ABSENT, NOT_APPLICABLE)

#: The sections of a profile in page order: field name -> label.
SECTIONS: dict[str, str] = {
    "mayor": "leader",
    "population": "population",
    "innovation_officers": "innovation officers",
    "helps_to": "aims",
    "success_factors": "success factors",
    "spotlight": "spotlight",
    "strategy": "strategy and approach",
    "policy_areas": "policy areas",
    "roles": "roles",
    "teams": "innovation team",
    "innovation_terms": "terms",
    "activities": "activities",
    "dedicated_funding": "dedicated funding",
    "funding_sources": "funding sources",
    "funded_activities": "funded activities",
    "funding_use": "funding use",
    "partnerships": "partnerships",
    "data_availability": "data availability",
}
#: Sections that only apply to a city with dedicated funding.
FUNDING_DETAIL = ("funding_sources", "funded_activities", "funding_use")

#: One label for "Leadership from <the city's leader>" (Mayor, City Manager ...).
LEADERSHIP = "Leadership from the city's leader"
#: The option fields compared, with their labels and the survey's option order.
OPTION_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "helps_to": ("aim", options.AIMS),
    "success_factors": ("success factor",
                        tuple(LEADERSHIP if f == "Leadership from Mayor" else f
                              for f in options.SUCCESS_FACTORS)),
}
#: Strategy answers -> (question, item) of the survey-wide row in survey/benchmarks.csv.
SURVEY_ITEMS: dict[str, tuple[str, str]] = {
    "explicit strategy": (questions.STRATEGY, questions.HAS_EXPLICIT_STRATEGY),
    "holistic": (questions.APPROACH, questions.HOLISTIC_ONLY),
    "specific": (questions.APPROACH, questions.SPECIFIC_ONLY),
    "both": (questions.APPROACH, questions.HOLISTIC_AND_SPECIFIC),
}


def peer_cities(city: str, peers: Sequence[str] | None = None,
                root: str | os.PathLike[str] | None = None) -> list[str]:
    """The peers of ``city``: those given (checked, in their order), else
    :func:`default_peers`."""
    known = data.available_cities(root)
    lookup = {data.slug(c): c for c in known}
    if data.slug(city) not in lookup:
        raise ParameterError(f"parameter city: {city!r} has no profile in data/profiles/ "
                             f"(allowed: {', '.join(map(repr, known))})")
    city = lookup[data.slug(city)]
    if peers is None:
        return default_peers(city, root)
    if isinstance(peers, str):
        raise ParameterError(f"parameter peers: {peers!r} is not a list (allowed: a list of "
                             "cities such as [Stockholm, Vienna], or None for the most alike "
                             "cities)")
    unknown = [p for p in peers if data.slug(str(p)) not in lookup]
    if unknown:
        raise ParameterError(f"parameter peers: no profile for {', '.join(map(repr, unknown))} "
                             f"(allowed: {', '.join(repr(c) for c in known if c != city)})")
    chosen = [lookup[data.slug(str(p))] for p in peers]
    if not chosen or city in chosen or len(set(chosen)) != len(chosen):
        raise ParameterError(f"parameter peers: {list(peers)} is empty, repeats a city or names "
                             f"{city} itself (allowed: one or more other cities, each once)")
    return chosen


#: How many peers the default rule picks (every other city where there are no more).
DEFAULT_PEERS = 8


def default_peers(city: str, root: str | os.PathLike[str] | None = None,
                  n: int = DEFAULT_PEERS) -> list[str]:
    """The ``n`` cities most alike ``city`` (see :func:`peer_rule`), most alike first.

    Ranked by the Jaccard index over chosen aims and success factors, then (cities whose page
    lacks either list, or all of them if ``city``'s does) by closeness in population (ratio of
    the larger to the smaller), then by name.
    """
    profiles = load(data.available_cities(root), root)
    return ranking(profiles, city)["city"].head(n).tolist()


def _population(p: Profile) -> float | None:
    return float(p.population.value) if p.population and p.population.value else None


def ranking(profiles: Sequence[Profile], city: str) -> pd.DataFrame:
    """Every other city ranked as :func:`default_peers` ranks them.

    Columns: ``city``, ``similarity`` (Jaccard, missing where a list is absent),
    ``population_ratio`` (larger over smaller population, missing where one is not a figure).
    """
    me = next(p for p in profiles if p.city == city)
    sim = similarity(profiles)
    mine = _population(me)
    rows = []
    for p in profiles:
        if p.city == city:
            continue
        pop = _population(p)
        rows.append({"city": p.city,
                     "similarity": sim.loc[city, p.city] if city in sim.index
                     and p.city in sim.index else None,
                     "population_ratio": round(max(pop, mine) / min(pop, mine), 2)
                     if pop and mine else None})
    out = pd.DataFrame(rows, columns=["city", "similarity", "population_ratio"])
    out["similarity"] = out["similarity"].astype(float)
    out["population_ratio"] = out["population_ratio"].astype(float)
    return out.sort_values(["similarity", "population_ratio", "city"],
                           ascending=[False, True, True], na_position="last",
                           ignore_index=True)


def peer_rule(city: str, chosen: Sequence[str],
              root: str | os.PathLike[str] | None = None) -> str:
    """The sentence saying which cities ``city`` is compared with, and why.

    Peers equal to the default rule's choice (:func:`default_peers`; ``city-innovation report``
    passes the resolved list) are described by the rule, any other list as named.
    """
    others = len(data.available_cities(root)) - 1
    if list(chosen) != default_peers(city, root):
        return (f"{city} beside the {len(chosen)} peer(s) named in the parameters: "
                f"{'; '.join(chosen)}.")
    if len(chosen) == others:
        return f"{city} beside every other city with a profile ({others}): {'; '.join(chosen)}."
    return (f"{city} beside the {len(chosen)} of {others} other cities most alike it in the "
            "aims and success factors they chose (Jaccard index), then closest in population: "
            f"{'; '.join(chosen)}.")


def load(cities: Iterable[str], root: str | os.PathLike[str] | None = None) -> list[Profile]:
    """The profiles of ``cities``, in that order."""
    return [data.load_profile(c, root) for c in cities]


def _has(p: Profile, field: str) -> bool:
    if field == "policy_areas":
        return bool(p.policy_areas) or p.policy_areas_status is not None
    return bool(getattr(p, field))


def coverage(profiles: Sequence[Profile]) -> pd.DataFrame:
    """Which sections each profile has: present, absent from the page, or not applicable.

    Funding details do not apply to a city that states it has no dedicated funding.
    """
    rows = []
    for p in profiles:
        funding = p.dedicated_funding
        no_funding = funding is not None and not funding.has_dedicated_funding
        for field, label in SECTIONS.items():
            state = (PRESENT if _has(p, field) else
                     NOT_APPLICABLE if field in FUNDING_DETAIL and no_funding else ABSENT)
            rows.append({"city": p.city, "section": label, "status": state})
    out = pd.DataFrame(rows, columns=["city", "section", "status"])
    out["section"] = pd.Categorical(out["section"], categories=list(SECTIONS.values()),
                                    ordered=True)
    return out


def who(profiles: Sequence[Profile], sources: Mapping[str, Source]) -> pd.DataFrame:
    """Who is compared: leader, population and its year, the page version, sections present."""
    cov = coverage(profiles)
    present = cov[cov["status"] == PRESENT].groupby("city", sort=False).size()
    rows = []
    for p in profiles:
        pop = p.population
        src = sources.get(p.helps_to.source if p.helps_to else p.mayor.source if p.mayor else "")
        rows.append({
            "city": p.city, "country": p.country,
            "leader": f"{p.mayor.name} ({p.mayor.title})" if p.mayor and p.mayor.title
            else p.mayor.name if p.mayor else None,
            "population": pop.value if pop else None,
            "population_printed": pop.printed if pop and pop.value is None else None,
            "population_year": pop.year if pop else None,
            "page_version": src.date if src else None,
            "sections_present": f"{int(present.get(p.city, 0))} of {len(SECTIONS)}",
            "source": src.id if src else None,
        })
    out = pd.DataFrame(rows)
    for col in ("population", "population_year"):
        out[col] = out[col].astype("Int64")
    return out


def option_label(field: str, label: str) -> str:
    """A city's item as the survey's option (any leadership as one option), else as printed."""
    if field == "success_factors":
        if options.LEADERSHIP.fullmatch(label.strip()):
            return LEADERSHIP
        return options.success_factor(label) or label
    return options.aim(label) or label


def option_matrix(profiles: Sequence[Profile], field: str) -> pd.DataFrame:
    """City x option: whether each city that answers ``field`` chose each option.

    Options are the survey's, in its order, then any other label a city printed (kept as
    printed); ``survey_option`` says which. Cities without the section are left out.
    """
    if field not in OPTION_FIELDS:
        raise ParameterError(f"field: {field!r} is not an option field "
                             f"(allowed: {', '.join(OPTION_FIELDS)})")
    _, order = OPTION_FIELDS[field]
    chosen = {p.city: [option_label(field, x) for x in getattr(p, field).items]
              for p in profiles if getattr(p, field)}
    used = {o for items in chosen.values() for o in items}
    others = sorted(used - set(order))
    opts = [o for o in dict.fromkeys(order) if o in used] + others
    rows = [{"city": city, "option": o, "chosen": o in items, "survey_option": o not in others}
            for city, items in chosen.items() for o in opts]
    out = pd.DataFrame(rows, columns=["city", "option", "chosen", "survey_option"])
    out["option"] = pd.Categorical(out["option"], categories=opts, ordered=True)
    return out


def option_shares(matrix: pd.DataFrame, city: str) -> pd.DataFrame:
    """Per option: whether ``city`` chose it, and how many peers (the other cities) did.

    ``peer_share`` is a percent of the peers that answer the section.
    """
    peers = matrix[matrix["city"] != city]
    n = peers["city"].nunique()
    grouped = peers.groupby("option", observed=True)["chosen"].sum().astype(int)
    mine = matrix[matrix["city"] == city].set_index("option")["chosen"]
    out = pd.DataFrame({"option": grouped.index.astype(str), "peers_choosing": grouped.values})
    out["peers_answering"] = n
    out["peer_share"] = (100 * out["peers_choosing"] / n).round(1) if n else float("nan")
    out["city_chose"] = out["option"].map(lambda o: bool(mine.get(o, False))) \
        if not mine.empty else pd.NA
    return out.sort_values(["peers_choosing", "option"], ascending=[False, True],
                           ignore_index=True)


def survey_share(bench: pd.DataFrame, answer: str, survey_round: str = "both") -> pd.Series | None:
    """The survey-wide row for a strategy answer (``SURVEY_ITEMS``) in the round chosen, or None.

    With several rounds, the pooled 2018+2020 row comes first (the profiles quote it).
    """
    if answer not in SURVEY_ITEMS:
        return None
    question, item = SURVEY_ITEMS[answer]
    rows = data.benchmarks_for_round(bench, survey_round)
    rows = rows[(rows["question"] == question) & (rows["item"] == item)]
    if rows.empty:
        return None
    rank = rows["survey_round"].map({r: i for i, r in enumerate(QUOTED_FIRST)})
    return rows.assign(_rank=rank).sort_values("_rank", kind="stable").iloc[0]


def strategy(profiles: Sequence[Profile]) -> pd.DataFrame:
    """Per city: explicit strategy (yes/no), approach, policy-area status and areas, terms."""
    rows = []
    for p in profiles:
        answers = {s.question: s.answer for s in p.strategy}
        explicit = answers.get("explicit innovation strategy")
        approach = answers.get("approach to innovation capacity")
        status = p.policy_areas_status or ("listed" if p.policy_areas else None)
        rows.append({
            "city": p.city,
            "explicit_strategy": explicit,
            "approach": options.approach(approach) if approach else None,
            "approach_as_printed": approach,
            "policy_areas_status": status,
            "policy_areas": "; ".join(a.name for a in p.policy_areas) or None,
            "terms": "; ".join(p.innovation_terms.items) if p.innovation_terms else None,
        })
    return pd.DataFrame(rows)


def strategy_shares(profiles: Sequence[Profile], city: str, bench: pd.DataFrame,
                    survey_round: str = "both") -> pd.DataFrame:
    """Share of peers with an explicit strategy and with each approach, beside the survey's.

    Peers are the cities other than ``city`` that answer the question; ``survey_value`` and
    ``survey_wording`` come from ``survey/benchmarks.csv`` where it has the item.
    """
    table = strategy(profiles)
    peers = table[table["city"] != city]
    mine = table[table["city"] == city].iloc[0] if (table["city"] == city).any() else None
    rows = []
    for answer in SURVEY_ITEMS:
        column = "explicit_strategy" if answer == "explicit strategy" else "approach"
        target = "yes" if answer == "explicit strategy" else answer
        answering = peers[column].dropna()
        n = len(answering)
        k = int((answering == target).sum())
        row = survey_share(bench, answer, survey_round)
        rows.append({
            "answer": answer, "peers_answering": n, "peers_with_answer": k,
            "peer_share": round(100 * k / n, 1) if n else None,
            "city_answer": None if mine is None or pd.isna(mine[column])
            else bool(mine[column] == target),
            "survey_value": None if row is None or pd.isna(row["value"]) else row["value"],
            "survey_wording": None if row is None or pd.isna(row["wording"]) else row["wording"],
            "survey_round": None if row is None else row["survey_round"],
            "survey_source": None if row is None else row["source"],
        })
    return pd.DataFrame(rows)


def roles(profiles: Sequence[Profile]) -> pd.DataFrame:
    """Roles stated (the page's count) vs listed (the roles printed), per city with a roles
    section; ``gap`` is stated minus listed where a count is stated."""
    rows = []
    for p in profiles:
        if p.roles is None:
            continue
        stated, listed = p.roles.stated_count, len(p.roles.listed)
        rows.append({"city": p.city, "stated": stated, "listed": listed,
                     "gap": None if stated is None else stated - listed,
                     "roles": "; ".join(p.roles.listed) or None})
    out = pd.DataFrame(rows, columns=["city", "stated", "listed", "gap", "roles"])
    for col in ("stated", "gap"):
        out[col] = out[col].astype("Int64")
    return out


def team_staff(profiles: Sequence[Profile]) -> pd.DataFrame:
    """Staff of the dedicated innovation team and staff per 100,000 inhabitants.

    Per city: ``staff`` where the profile gives one figure (``at_least`` where it is a lower
    bound); ``per_100k`` where the population is also a well-formed figure; ``missing`` says
    why a value is not there.
    """
    rows = []
    for p in profiles:
        t, pop = p.teams, p.population
        staff = t.staff if t else None
        why = None
        if t is None:
            why = "team section absent from the page"
        elif staff is None:
            why = ("staff given per team, not as one figure" if t.teams
                   else "no staff figure")
        per = None
        if staff is not None:
            if pop is None or pop.value is None:
                why = "population not a well-formed figure" if pop else "no population"
            else:
                per = round(100_000 * staff / pop.value, 2)
        named = sum(x.staff for x in t.teams) if t and t.teams and staff is None else None
        rows.append({"city": p.city, "staff": staff, "at_least": bool(t and t.staff_at_least),
                     "named_teams_staff": named,
                     "population": pop.value if pop else None,
                     "population_year": pop.year if pop else None,
                     "per_100k": per, "missing": why})
    out = pd.DataFrame(rows)
    for col in ("staff", "named_teams_staff", "population", "population_year"):
        out[col] = out[col].astype("Int64")
    return out


def chosen_options(profiles: Sequence[Profile],
                   fields: Sequence[str] = tuple(OPTION_FIELDS)) -> dict[str, frozenset[str]]:
    """Each city's chosen options over ``fields`` ("aim: ..." / "success factor: ..."), for
    the cities that answer every one of them."""
    out = {}
    for p in profiles:
        if all(getattr(p, f) for f in fields):
            out[p.city] = frozenset(f"{OPTION_FIELDS[f][0]}: {option_label(f, x)}"
                                    for f in fields for x in getattr(p, f).items)
    return out


def similarity(profiles: Sequence[Profile],
               fields: Sequence[str] = tuple(OPTION_FIELDS)) -> pd.DataFrame:
    """City x city Jaccard similarity over the options chosen in ``fields`` (square, 1 on the
    diagonal); cities lacking one of the fields are left out."""
    sets = chosen_options(profiles, fields)
    names = list(sets)
    out = pd.DataFrame(1.0, index=pd.Index(names, name="city"), columns=names)
    for a, b in combinations(names, 2):
        out.loc[a, b] = out.loc[b, a] = round(jaccard(sets[a], sets[b]), 3)
    return out


def most_alike(sim: pd.DataFrame, city: str) -> pd.DataFrame:
    """The other cities by similarity to ``city``, most alike first (ties by name)."""
    if city not in sim.index:
        return pd.DataFrame(columns=["city", "similarity"])
    row = sim.loc[city].drop(city)
    out = pd.DataFrame({"city": row.index, "similarity": row.values})
    return out.sort_values(["similarity", "city"], ascending=[False, True], ignore_index=True)


def missing_note(profiles: Sequence[Profile], covered: Iterable[str], what: str, *,
                 besides: str | None = None) -> str:
    """'<n> of <m> cities; not shown: A, B (<what> absent from the page).'

    With ``besides`` (the city a figure compares the others with, not drawn itself), the count
    is of the others: '<n> of <m> peers'.
    """
    others = [p for p in profiles if p.city != besides]
    shown = set(covered) - {besides}
    left = [p.city for p in others if p.city not in shown]
    head = f"{len(shown)} of {len(others)} {'cities' if besides is None else 'peers'}"
    return head + (f"; not shown: {', '.join(left)} ({what} absent from the page)." if left
                   else ".")


def flags(profiles: Sequence[Profile]) -> pd.DataFrame:
    """The data-quality flags of every city shown, one row each."""
    return stacked([(p.city, flags_frame(p)) for p in profiles], "city")


def findings(n_peers: int, alike: pd.DataFrame, flags: pd.DataFrame) -> dict[str, object]:
    """The key findings of notebook 04 for the report: peers compared, the most alike peer and
    its similarity (``most_alike``), and the flags listed."""
    return {
        "Peer cities compared": n_peers,
        "Most alike peer": alike["city"].iloc[0] if not alike.empty else "none",
        "Similarity to the most alike peer (Jaccard, 0-1)":
            round(float(alike["similarity"].iloc[0]), 2) if not alike.empty else None,
        "Data-quality flags listed": len(flags),
    }
