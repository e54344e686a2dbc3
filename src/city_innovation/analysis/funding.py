"""Funding-mix analyses: the city's innovation funding beside the survey, and its region's
funding instruments. The matrix of the region's instruments per theme is in :mod:`.instruments`.

Survey rounds: benchmark rows are labelled "2018" (89 responding cities) or "2018+2020" (the
pooled 147). A notebook's ``survey_round`` selects rows as follows: "2018" keeps the 2018 rows;
"2020" keeps "2020" and pooled "2018+2020" rows (no figure covers 2020 alone); "both" keeps every
row, each labelled by its round.

Levels: the city's funding sources and the region's instruments use different level words.
:data:`CITY_LEVEL_TO_COMMON` and :data:`REGION_LEVEL_TO_COMMON` map both onto one scale
(:data:`COMMON_LEVELS`) so the two can be drawn side by side; see :func:`level_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import get_args

import pandas as pd

from .. import data
from ..errors import DataError, ParameterError
from ..present import notes
from ..present.fmt import counted, pct
from ..store.flags import flags_frame, ids_on, on_field, stacked
from ..store.models import FigureStatus, FundingLevel, InstrumentLevel, Profile, Region
from ..survey import questions
from ..survey.rounds import BASE_ROUNDS, ROUND_ROWS

#: Benchmark questions (prefixes) about cities having dedicated or specific innovation funding.
DEDICATED_QUESTIONS = questions.DEDICATED_PREFIXES
#: Benchmark questions (prefixes) about where the funding comes from.
ORIGIN_QUESTIONS = questions.ORIGIN_PREFIXES
#: Profile and region fields whose flags touch funding.
PROFILE_FUNDING_FIELDS = ("dedicated_funding", "funding_sources", "funded_activities",
                          "funding_use")
REGION_FUNDING_FIELDS = ("instruments", "instrument_uses")

#: One scale for the funding levels of a city and of a region, from farthest to nearest, then
#: the kinds of resource that are not a public budget.
COMMON_LEVELS = ("International / EU", "National", "Local public (city or region)",
                 "Foundation", "Non-financial (in kind)", "Innovative financing")
#: The city's funding-source levels on the common scale.
CITY_LEVEL_TO_COMMON: dict[str, str] = {
    "international": "International / EU",
    "national": "National",
    "municipal": "Local public (city or region)",
    "non-financial": "Non-financial (in kind)",
    "innovative-financing": "Innovative financing",
}
#: The region's instrument levels on the common scale. The EU is the international level the
#: region draws on; the regional council's budget and the city's budget are both local public
#: money, one scale below national.
REGION_LEVEL_TO_COMMON: dict[str, str] = {
    "EU": "International / EU",
    "national": "National",
    "regional": "Local public (city or region)",
    "foundation": "Foundation",
}

#: How an entry counts in the side-by-side figure of levels, strongest evidence first. The
#: weaker two are set in data/, by the flags that say why (a flag's ``weakens``).
NAMED = "named"
UNCONFIRMED, NOT_A_FUNDER = get_args(FigureStatus)
STATUSES = (NAMED, UNCONFIRMED, NOT_A_FUNDER)

CITY_LEVELS: tuple[str, ...] = get_args(FundingLevel)
REGION_LEVELS: tuple[str, ...] = get_args(InstrumentLevel)


# --- the survey's base -------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyBase:
    """The number of responding cities a share is computed on, and where it was read."""

    n: int
    survey_round: str
    item: str
    sources: tuple[str, ...]

    @property
    def pooled(self) -> bool:
        """True when the base counts the cities of several rounds together."""
        return "+" in self.survey_round

    def describe(self) -> str:
        """One line for figure notes: the number, what it counts, the round and the sources."""
        kind = "pooled rounds " if self.pooled else "round "
        return (f"{self.n} {self.item} ({kind}{self.survey_round}; "
                f"{', '.join(self.sources)})")


def respondent_base(bench: pd.DataFrame, survey_round: str) -> SurveyBase:
    """The responding cities of a round choice, from the survey/respondents benchmark rows.

    Raises :class:`DataError` when no row gives the count, or when rows of the round disagree.
    """
    if survey_round not in BASE_ROUNDS:
        raise ParameterError(f"parameter survey_round: {survey_round!r} is not a round "
                             f"(allowed: {', '.join(BASE_ROUNDS)})")
    rows = data.respondent_rows(bench)
    for label in BASE_ROUNDS[survey_round]:
        found = rows[rows["survey_round"] == label]
        if found.empty:
            continue
        values = sorted(set(found["value"]))
        if len(values) > 1:
            pairs = ", ".join(f"{i}={v:g}" for i, v in
                              zip(found["id"], found["value"], strict=True))
            raise DataError([f"survey/benchmarks.csv: respondents of round {label} disagree: "
                             f"{pairs}"])
        return SurveyBase(n=int(values[0]), survey_round=label, item=found["item"].iloc[0],
                          sources=tuple(dict.fromkeys(found["source"])))
    have = sorted(set(rows["survey_round"])) or ["none"]
    raise DataError([f"survey/benchmarks.csv: no number of responding cities for survey_round "
                     f"{survey_round!r} (needs a row with component 'survey', question "
                     f"'respondents' and round {' or '.join(BASE_ROUNDS[survey_round])}; "
                     f"rounds with one: {', '.join(have)})"])


def share_of_base(counts: pd.Series, base_n: int) -> pd.Series:
    """Counts of cities as percentages of ``base_n`` responding cities (missing stays missing)."""
    if base_n <= 0:
        raise ValueError(f"base_n: must be a positive number of cities (got {base_n})")
    return counts.astype("Float64") / base_n * 100


# --- 1. dedicated funding ----------------------------------------------------------------------


def dedicated_funding(p: Profile, bench: pd.DataFrame, survey_round: str) -> pd.DataFrame:
    """The survey-wide shares of cities with dedicated funding, as percentages with their base.

    One row for the share the profile quotes (round not stated there) and one per distinct survey
    figure of the selected rounds; identical figures from several pages share a row and list
    all their sources. Counts of cities are turned into percentages of their own ``base_n``.
    """
    cols = ["label", "survey_round", "percent", "cities", "base_n", "sources"]
    rows: list[dict[str, object]] = []
    if p.dedicated_funding is not None:
        share = p.dedicated_funding.survey_share
        if share.value is not None:
            rows.append({"label": f"quoted in {p.city}'s profile", "survey_round":
                         share.survey_round or "not stated", "percent": share.value,
                         "cities": None, "base_n": None, "sources": p.dedicated_funding.source})
    b = data.benchmarks_for_round(bench, survey_round)
    b = b[(b["component"] == "funding") & b["question"].str.startswith(DEDICATED_QUESTIONS)
          & b["value"].notna()]
    keys = ["survey_round", "item", "value", "unit", "base_n"]
    for (rnd, item, value, unit, base_n), grp in b.groupby(keys, sort=False, dropna=False):
        if unit == "cities":
            if pd.isna(base_n):
                continue  # a count without a base cannot be read as a share
            percent, cities = value / base_n * 100, int(value)
        else:
            percent, cities = value, None
        rows.append({"label": item, "survey_round": rnd, "percent": percent, "cities": cities,
                     "base_n": None if pd.isna(base_n) else int(base_n),
                     "sources": ", ".join(dict.fromkeys(grp["source"]))})
    out = pd.DataFrame(rows, columns=cols)
    for c in ("cities", "base_n"):
        out[c] = out[c].astype("Int64")
    return out


def dedicated_note(rows: pd.DataFrame) -> str:
    """The figure note: the sources of each bar, how counts became shares, wording caveat."""
    if rows.empty:
        return "No survey-wide figure on dedicated funding for the selected rounds."
    parts = ["Bars: " + "; ".join(f"{r.label} (round {r.survey_round}) from {r.sources}"
                                  for r in rows.itertuples())]
    counted = rows[rows["cities"].notna()]
    parts += [f"{r.cities} of {r.base_n} cities shown as {pct(round(r.percent, 1))}."
              for r in counted.itertuples()]
    if rows["label"].nunique() > 2:
        parts.append("The sources word the question differently (dedicated or specific "
                     "funding); the bars are not one series.")
    return notes.figure_note(rows["sources"], parts)


def city_answer(p: Profile) -> str:
    """The city's own answer on dedicated funding: "yes", "no" or "not stated"."""
    if p.dedicated_funding is None:
        return "not stated"
    return "yes" if p.dedicated_funding.has_dedicated_funding else "no"


def describe_dedicated(p: Profile, rows: pd.DataFrame) -> str:
    """One sentence: the city's answer and the range of the survey-wide shares shown."""
    first = f"{p.city}'s answer on dedicated innovation funding: {city_answer(p)}."
    if rows.empty:
        return first + " No survey-wide figure for the selected rounds."
    low, high = rows["percent"].min(), rows["percent"].max()
    span = pct(low) if low == high else f"{pct(low)} to {pct(high)}"
    return (f"{first} Survey-wide, {span} of cities report dedicated or specific funding "
            f"({len(rows)} figure{'s' if len(rows) > 1 else ''} shown).")


# --- 2. sources of funding ---------------------------------------------------------------------


def sources_by_level(p: Profile) -> pd.DataFrame | data.Absent:
    """The city's funding sources grouped by level (in the data model's order of levels).

    The examples are the survey's illustrations of each option, not the city's own funding,
    hence the column name ``survey_illustration``.
    """
    frame = data.funding_sources(p).rename(columns={"examples": "survey_illustration"})
    if frame.empty:
        return data.not_given(p, "its funding sources")
    frame["level"] = pd.Categorical(frame["level"], categories=CITY_LEVELS, ordered=True)
    frame = frame.sort_values("level", kind="stable")
    return frame.set_index(["level", "funding_source"])[["definition", "survey_illustration"]]


def survey_origin_figures(bench: pd.DataFrame, survey_round: str) -> pd.DataFrame:
    """Survey-wide figures on where funding comes from, with the share of their base."""
    b = data.benchmarks_for_round(bench, survey_round)
    b = b[(b["component"] == "funding") & b["question"].str.startswith(ORIGIN_QUESTIONS)]
    out = b[["survey_round", "item", "value", "unit", "base_n", "source", "note"]].copy()
    out["percent"] = [v / n * 100 if u == "cities" and pd.notna(n) else
                      (v if u == "percent" else None)
                      for v, u, n in zip(out["value"], out["unit"], out["base_n"], strict=True)]
    out["percent"] = out["percent"].astype("Float64").round(1)
    return out.reset_index(drop=True)


def describe_origin(origin: pd.DataFrame) -> str:
    """One line per survey-wide figure on the origin of funding, with its base and note."""
    if origin.empty:
        return "No survey-wide figure on the origin of funding for the selected rounds."
    lines = []
    for r in origin.itertuples():
        amount = (f"{r.value:g} of {r.base_n} cities ({pct(r.percent)})"
                  if r.unit == "cities" and pd.notna(r.base_n) else f"{r.value:g} {r.unit}")
        note = f" Note: {r.note}." if isinstance(r.note, str) and r.note else ""
        lines.append(f"Round {r.survey_round}: {r.item}: {amount} [{r.source}].{note}")
    return "\n".join(lines)


# --- 3. activities being funded ----------------------------------------------------------------


def activity_values(p: Profile, measure: str, base: SurveyBase | None = None) -> pd.DataFrame:
    """The aligned survey counts with a number, sorted, as counts or shares of ``base``.

    Columns: activity, cities, value (the measure drawn), city_funds (the city funds it too).
    Rows marked not aligned and rows without a count are left out (see :func:`activities_note`).
    """
    if measure not in ("count", "share"):
        raise ParameterError(f"parameter measure: {measure!r} (allowed: count, share)")
    if measure == "share" and base is None:
        raise ParameterError("parameter measure: 'share' needs a survey base of responding "
                             "cities")
    fa = data.funded_activities(p)
    fa = fa[fa["aligned"] & fa["cities"].notna()]
    out = fa[["activity", "cities", "city_funds"]].copy()
    out["value"] = (share_of_base(out["cities"], base.n) if measure == "share" and base
                    else out["cities"].astype("Float64"))
    return out.sort_values(["value", "activity"], ascending=[False, True]).reset_index(drop=True)


def activities_note(p: Profile, measure: str, base: SurveyBase | None = None) -> str:
    """The figure note: source, the base, what was left out of the bars, and the flags."""
    fa = data.funded_activities(p)
    if fa.empty:
        return "No funded-activity counts in the profile."
    parts = [f"Counts of cities as printed under '{fa['locator'].iloc[0]}'; the profile does "
             "not state how many cities they refer to."]
    if measure == "share" and base is not None:
        parts.append(f"Share = cities / {base.describe()}. This base is an assumption: if "
                     "the counts refer to fewer cities (for example only those with dedicated "
                     "funding), the true shares are higher.")
    left = [f"'{r.activity}' ({r.cities} cities: label and count not aligned in the source)"
            for r in fa[~fa["aligned"]].itertuples()]
    left += [f"'{r.activity}' (no count printed)" for r in fa[fa["cities"].isna()].itertuples()]
    if left:
        parts.append("Not drawn: " + "; ".join(left) + ".")
    only = _round_only(p)
    only = only[only["option"].isin(set(fa["activity"]))]
    parts += [f"'{r.option}' was an option of round {r.only_in_round} only."
              for r in only.itertuples()]
    ids = ids_on(p, "funded_activities")
    return notes.figure_note(fa["source"].iloc[:1], parts, ids)


def describe_activities(values: pd.DataFrame, measure: str, p: Profile | None = None) -> str:
    """Sentences: the most funded activity and where the city's own activities rank.

    With the profile ``p``, an activity asked in one round only says so, and the ranking names
    the flags whose re-pairing of garbled labels and counts it rests on.
    """
    if values.empty:
        return "No funded-activity counts to compare."
    only = {} if p is None else dict(_round_only(p).itertuples(index=False))

    def amount(r: pd.Series) -> str:
        text = f"{pct(round(r['value'], 1))}, {r['cities']} cities" if measure == "share" \
            else f"{r['cities']} cities"
        rnd = only.get(r["activity"])
        return f"{text}; an option of round {rnd} only" if rnd else text

    top = values.iloc[0]
    text = f"Most often funded across the survey: {top['activity']} ({amount(top)})."
    own = values[values["city_funds"]]
    if own.empty:
        return text + " None of the city's own funded activities has a survey count."
    ranks = " and ".join(str(i + 1) for i in own.index)
    names = "; ".join(f"{r['activity']} ({amount(r)})" for _, r in own.iterrows())
    garbled = [] if p is None else ids_on(p, "funded_activities", problem="garbled")
    flag = "flags" if len(garbled) > 1 else "flag"
    under = (f"Under the pairing of labels and counts chosen in {flag} {', '.join(garbled)}, "
             "the" if garbled else "The")
    return (f"{text} {under} city's own funded activities rank {ranks} of {len(values)}: "
            f"{names}.")


# --- 4. what funding is used for ---------------------------------------------------------------


def funding_uses(p: Profile, survey_round: str) -> pd.DataFrame:
    """The city's uses of innovation funding, and survey-wide use figures of the selected rounds.

    Quoted figures without a round are kept; a figure of another round is left out, since the
    option sets of the rounds differ.
    """
    uses = data.funding_uses(p)
    quoted = uses["survey_value"].notna() | uses["survey_wording"].notna()
    keep = ~quoted | uses["survey_round"].isna() | uses["survey_round"].isin(
        ROUND_ROWS[str(survey_round)])
    out = uses[keep].rename(columns={"survey_value": "survey_percent"})
    out["survey_percent"] = out["survey_percent"].astype("Float64")
    return out[["use", "survey_percent", "survey_wording", "survey_round", "source"]] \
        .reset_index(drop=True)


def describe_uses(p: Profile, survey_round: str) -> str:
    """Lines: what the city funds with its innovation money, then the survey-wide figures."""
    uses = funding_uses(p, survey_round)
    quoted = uses["survey_percent"].notna() | uses["survey_wording"].notna()
    own = uses.loc[~quoted, "use"].tolist()
    lines = [f"{p.city}'s innovation funding goes to: {', '.join(own)}." if own else
             f"{p.city}'s profile lists no uses of its innovation funding."]
    for r in uses[quoted].itertuples():
        amount = pct(r.survey_percent) if pd.notna(r.survey_percent) else ""
        wording = f" ('{r.survey_wording}')" if isinstance(r.survey_wording, str) else ""
        rnd = r.survey_round if isinstance(r.survey_round, str) else "not stated"
        lines.append(f"Survey-wide, round {rnd}: {r.use}: {amount}{wording} [{r.source}].")
    if not quoted.any():
        lines.append(f"No survey-wide figure on uses for survey_round {survey_round!r}.")
    return "\n".join(lines)


def round_only_options(p: Profile) -> pd.DataFrame | data.Absent:
    """Options of the funding-use question asked in one survey round only."""
    return data.table_or(_round_only(p), p, "funding-use options asked in one survey round only")


def _round_only(p: Profile) -> pd.DataFrame:
    cols = ["option", "only_in_round"]
    if p.funding_use is None:
        return pd.DataFrame([], columns=cols)
    return pd.DataFrame([{"option": o.option, "only_in_round": o.survey_round}
                         for o in p.funding_use.round_only_options], columns=cols)


# --- 6. city and region side by side -----------------------------------------------------------


def level_mapping() -> pd.DataFrame:
    """The common scale and which city and region levels fall on each step."""
    rows = [{"common_level": c,
             "city_levels": ", ".join(k for k, v in CITY_LEVEL_TO_COMMON.items() if v == c),
             "region_levels": ", ".join(k for k, v in REGION_LEVEL_TO_COMMON.items() if v == c)}
            for c in COMMON_LEVELS]
    return pd.DataFrame(rows).set_index("common_level")


def entry_status(p: Profile, r: Region) -> dict[tuple[str, str | None], tuple[str, str]]:
    """The weakened entries of the side-by-side figure: (scale, instrument id or None for all)
    -> (status, flag id), from the flags whose ``weakens`` says so (the city's flags weaken the
    city's entries, the region's the region's)."""
    return {(scale, f.weakens.instrument): (f.weakens.status, f.id)
            for scale, flags in (("city", p.flags), ("region", r.flags))
            for f in flags if f.weakens}


def levels_side_by_side(p: Profile, r: Region) -> pd.DataFrame:
    """Per common level and scale, how many city sources / region funding instruments appear.

    Tidy: common_level (ordered), scale ("city" or "region"), name (the city or region), n,
    items (names joined), status (the strongest evidence among the items, one of
    :data:`STATUSES`; empty where n is 0). Network instruments are not funding and are left out.
    """
    weak = entry_status(p, r)
    city = data.funding_sources(p)
    city_status = weak.get(("city", None), (NAMED, ""))[0]
    city_rows = [(CITY_LEVEL_TO_COMMON[lv], name, city_status) for lv, name in
                 zip(city["level"], city["funding_source"], strict=True)]
    inst = data.instruments(r).drop_duplicates("instrument_id")
    inst = inst[inst["kind"] == "funding"]
    region_rows = [(REGION_LEVEL_TO_COMMON[lv], name,
                    weak.get(("region", iid), weak.get(("region", None), (NAMED, "")))[0])
                   for lv, name, iid in zip(inst["level"], inst["instrument"],
                                            inst["instrument_id"], strict=True)]
    rows = []
    for scale, name, entries in (("city", p.city, city_rows), ("region", r.region, region_rows)):
        for level in COMMON_LEVELS:
            found = [(item, st) for lv, item, st in entries if lv == level]
            status = min((st for _, st in found), key=STATUSES.index, default="")
            rows.append({"common_level": level, "scale": scale, "name": name, "n": len(found),
                         "items": "; ".join(item for item, _ in found), "status": status})
    out = pd.DataFrame(rows)
    out["common_level"] = pd.Categorical(out["common_level"], categories=COMMON_LEVELS,
                                         ordered=True)
    return out


def _where(scale: str, status: str, alone: bool) -> str:
    who = f"the {scale}" + (" only" if alone else "")
    return {NAMED: f"named by {who}", UNCONFIRMED: f"listed by {who}, use not confirmed",
            NOT_A_FUNDER: f"named by {who} as an implementer, not a funder"}[status]


def describe_levels(levels: pd.DataFrame) -> str:
    """Sentences: the levels named as funding at both scales, then each group of levels with
    how it appears at each scale (named, listed but use not confirmed, implementer only)."""
    present = levels[levels["n"] > 0]
    at = {lv: dict(zip(g["scale"], g["status"], strict=True))
          for lv, g in present.groupby("common_level", observed=True, sort=True)}
    both = [str(lv) for lv, sc in at.items() if list(sc.values()) == [NAMED, NAMED]]
    groups: dict[str, list[str]] = {}
    for lv, sc in at.items():
        where = "; ".join(_where(scale, st, len(sc) == 1) for scale, st in sc.items())
        groups.setdefault(where, []).append(str(lv))
    parts = [f"Named as funding at both scales: {', '.join(both) if both else 'none'}."]
    parts += [f"{', '.join(lvs)}: {where}." for where, lvs in groups.items()]
    return " ".join(parts)


def levels_note(p: Profile, r: Region) -> str:
    """The note of the side-by-side figure: sources, what is left out, the flags that change a
    marker (with their details) and the other funding flags."""
    parts, sources = [], []
    if p.funding_sources is not None:
        sources.append(p.funding_sources.source)
        parts.append(f"City: '{p.funding_sources.locator}'.")
    uses = data.instruments(r)
    if not uses.empty:
        sources += list(uses["source"])
        parts.append(f"Region: periods {', '.join(dict.fromkeys(map(str, uses['period'])))}.")
        nets = list(dict.fromkeys(uses.loc[uses["kind"] == "network", "instrument"]))
        if nets:
            parts.append(f"Networks not counted: {', '.join(nets)}.")
    parts.append("Levels mapped onto one scale as in the mapping table.")
    flags = {f.id: f for f in [*p.flags, *r.flags]}
    marked = {fid: st for st, fid in entry_status(p, r).values()}
    ids: list[notes.FlagRef] = [(fid, f"{st}: {flags[fid].detail}") for fid, st in marked.items()]
    ids += [i for i in ids_on(p, "funding_sources") + ids_on(r, REGION_FUNDING_FIELDS)
            if i not in marked]
    return notes.figure_note(sources, parts, ids)


# --- 7. data quality ---------------------------------------------------------------------------


def funding_flags(p: Profile, r: Region | None) -> pd.DataFrame:
    """The data-quality flags of the profile and the region (if any) that touch funding, one
    row each (scale, flag_id, field, problem, detail, decision, source)."""
    parts = [(p.city, on_field(flags_frame(p), PROFILE_FUNDING_FIELDS))]
    if r is not None:
        parts.append((r.region, on_field(flags_frame(r), REGION_FUNDING_FIELDS)))
    return stacked(parts, "scale")


def flags_table(p: Profile, r: Region | None) -> pd.DataFrame:
    """:func:`funding_flags` for display: one row per flag id, without locators."""
    return data.flag_table(funding_flags(p, r))


def findings(p: Profile, r: Region | None, instrument_counts: Mapping[str, int]
             ) -> tuple[dict[str, object], list[str]]:
    """The key findings of notebook 02 and its headline sentences, for the report.

    ``instrument_counts`` holds the region's instruments per kind ("funding", "network"), as
    :func:`.instruments.instrument_counts` counts them; empty where the region names none.
    """
    sources = data.funding_sources(p)
    levels = sorted(sources["level"].unique())
    n_funding, n_networks = instrument_counts.get("funding", 0), instrument_counts.get("network", 0)
    found: dict[str, object] = {
        "City": p.city,
        "Region": r.region if r else "none",
        "Funding sources named by the city": len(sources),
        "Funding levels of the city": ", ".join(levels) or "none named",
        "Funding instruments named by the region": n_funding,
        "Networks named by the region": n_networks,
    }
    if len(sources):
        named = counted(len(sources), "funding source", "funding sources")
        at = counted(len(levels), "level", "levels")
        city_line = f"{p.city}'s profile names {named} at {at} ({', '.join(levels)})."
    else:
        city_line = f"{p.city}'s profile does not give its funding sources."
    if r is None:
        region_line = f"{p.city} is paired with no region in the data."
    elif sum(instrument_counts.values()):
        instruments = counted(n_funding, "funding instrument", "funding instruments")
        networks = counted(n_networks, "network", "networks")
        region_line = f"{r.region}'s strategy names {instruments} and {networks} for its themes."
    else:
        region_line = f"{r.region}'s strategy names no funding instrument in the data."
    return found, [city_line, region_line]
