"""Analyses of a city's innovation-capacity profile."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from .. import data
from ..present import notes
from ..present.absent import Absent
from ..present.fmt import share_text
from ..store.flags import as_lines, flags_frame, flags_on, on_field, problem_counts, reader_table
from ..store.models import Cited, Profile
from ..survey import options, questions


def summary_card(p: Profile) -> pd.DataFrame:
    """The profile at a glance: one row per item (item, value, source, locator)."""
    rows: list[dict[str, object]] = []

    def add(item: str, value: object, source: str, locator: str | None) -> None:
        rows.append({"item": item, "value": value, "source": source, "locator": locator})

    if p.mayor:
        add(p.mayor.title or "Mayor", p.mayor.name, p.mayor.source, p.mayor.locator)
    pop = p.population
    if pop:
        shown = f"{pop.value:,}" if pop.value is not None else f"{pop.printed} (as printed)"
        add("Population", shown + (f" ({pop.year})" if pop.year and pop.value else ""),
            pop.source, pop.locator)
    if p.innovation_officers:
        o = p.innovation_officers
        add("Lead innovation officers", ", ".join(o.names), o.source, o.locator)
    if p.teams:
        if p.teams.staff is not None:
            where = f", {p.teams.location}" if p.teams.location else ""
            more = "more than " if p.teams.staff_at_least else ""
            add("Dedicated innovation team", f"{more}{p.teams.staff} staff{where}",
                p.teams.source, p.teams.locator)
        for t in p.teams.teams:
            where = f", {t.location}" if t.location else ""
            add(f"{t.name}", f"{t.staff} staff{where}", p.teams.source, p.teams.locator)
        if p.teams.divisions_with_own_team:
            add("Divisions with their own innovation team", p.teams.divisions_with_own_team,
                p.teams.source, p.teams.locator)
    for s in p.strategy:
        add(s.question.capitalize(), s.answer, s.source, s.locator)
    if p.roles:
        r = p.roles
        stated = "number not stated" if r.stated_count is None else f"{r.stated_count} stated"
        add("Innovation roles", f"{stated}, {len(r.listed)} listed", r.source, r.locator)
    if p.dedicated_funding:
        d = p.dedicated_funding
        add("Dedicated innovation funding", "yes" if d.has_dedicated_funding else "no", d.source,
            d.locator)
    return pd.DataFrame(rows, columns=["item", "value", "source", "locator"])


def flag_count(p: Profile) -> pd.Series:
    """Number of data-quality flags of a profile by kind of problem."""
    return problem_counts(flags_frame(p))


# --- the profile against the survey -----------------------------------------------------------

#: Printed wherever a survey comparison is skipped because ``compare_with_survey`` is False.
SURVEY_OFF = ("Comparison with the survey is switched off (compare_with_survey=False): "
              "only the city's own answers are shown here.")

#: Columns of the tables that put survey-wide shares and the city's items side by side.
#: ``base_sources`` are the sources that state ``base_n``; ``base_note`` is the data's note where
#: the base is uncertain (empty otherwise).
SHARE_COLUMNS = ["label", "survey_round", "value", "base_n", "base_sources", "base_note", "source",
                 "city_label", "city_status", "status"]

#: Words of a benchmark note saying that a stated base may not be the cities the share is of.
#: Such a note covers every row of the same question, round, source and locator.
BASE_UNCERTAIN = re.compile(r"\bbase may be\b")

#: Strategy questions of a profile -> the question of the same survey item in benchmarks.csv.
STRATEGY_QUESTIONS: dict[str, str] = {
    "explicit innovation strategy": questions.STRATEGY,
    "approach to innovation capacity": questions.APPROACH,
}

#: Survey questions (benchmarks.csv) of the innovation roles and of data availability by area.
ROLES_QUESTION = questions.ROLES
AVAILABILITY_QUESTION = questions.AVAILABILITY
#: How a row of a share table relates to the city: a survey item matching one of the city's
#: items, a survey item the city does not list, an item the city lists without a survey figure.
MATCHED = "matched"
SURVEY_ONLY = "survey only"
CITY_ONLY = "city only"

#: Role labels -> role family: the survey's option table (kept in ``options``).
ROLE_FAMILIES = options.ROLE_FAMILIES

#: Policy-area labels -> the survey's data-availability item (kept in ``options``).
AREA_ITEMS = options.AREA_ITEMS


def _key(label: str) -> str:
    """Label without a trailing parenthesis, case-folded ("Designer (2018)" -> "designer")."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip().casefold()


def role_family(label: str) -> str | None:
    """The role family of a role label, or None when the label is not in ROLE_FAMILIES."""
    return ROLE_FAMILIES.get(_key(label))


def area_item(label: str) -> str | None:
    """The survey's data-availability item of a policy area, or None when none matches."""
    return AREA_ITEMS.get(_key(label))


def answer_may_include(answer: str, item: str,
                       question: str = "approach to innovation capacity") -> bool:
    """Whether a survey item may count cities that gave the city's answer (``options``).

    E.g. "prioritises specific policy areas" may include cities doing both.
    """
    return options.answer_relation(question, answer, item) == "may include"


def answer_matches(answer: str, item: str, question: str | None = None) -> bool:
    """Whether a survey item describes the city's answer (``options.STRATEGY_ITEMS``).

    Without ``question``, "yes"/"no" are answers on an explicit strategy and any other answer
    one on the approach to innovation capacity.
    """
    if question is None:
        question = ("explicit innovation strategy" if answer.strip().casefold() in {"yes", "no"}
                    else "approach to innovation capacity")
    return options.answer_relation(question, answer, item) == "describes"


def _join(values: Iterable[object]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if isinstance(v, str) and v))


def _base_notes(rows: pd.DataFrame) -> pd.Series:
    """The note saying a row's base is uncertain, spread to its question/round/source/locator."""
    said = rows["note"].where(rows["note"].fillna("").str.contains(BASE_UNCERTAIN), "")
    group = [rows[c] for c in ("question", "survey_round", "source", "locator")]
    return said.groupby(group, dropna=False).transform(_join)


def _collapse(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per distinct figure: sources joined, the first stated base kept.

    ``base_sources`` names the sources that state the base (fewer than ``source`` when some do
    not) and ``base_note`` the data's note where that base is uncertain.
    """
    rows = rows.assign(_base_src=rows["source"].where(rows["base_n"].notna(), ""),
                       _base_note=_base_notes(rows))
    out = rows.groupby(keys, sort=False, dropna=False).agg(
        source=("source", _join),
        base_n=("base_n", lambda s: s.dropna().iloc[0] if s.notna().any() else pd.NA),
        base_sources=("_base_src", _join), base_note=("_base_note", _join)).reset_index()
    out["base_n"] = out["base_n"].astype("Int64")
    return out


def respondents(bench: pd.DataFrame) -> pd.DataFrame:
    """How many cities answered each round (numeric rows of the survey component only)."""
    rows = data.respondent_rows(bench)
    out = _collapse(rows.rename(columns={"item": "respondents"}),
                    ["survey_round", "respondents", "value"])
    out["cities"] = out.pop("value").astype(int)
    return out[["survey_round", "respondents", "cities", "source"]]


def sources_table(ids: list[str], root: str | None = None) -> pd.DataFrame:
    """Bibliography entries of the given source ids, in the order given, indexed by id."""
    known = data.load_sources(root)
    return pd.DataFrame([{"source": i, "title": known[i].title, "publisher": known[i].publisher,
                          "date": known[i].date, "url": known[i].url}
                         for i in dict.fromkeys(ids)],
                        columns=["source", "title", "publisher", "date", "url"]
                        ).set_index("source")


def figure_note(p: Profile, sources: Iterable[object], field: str | None = None,
                caveats: Iterable[str] = ()) -> str:
    """The note under a figure: its sources, any caveats, then every flag on ``field``.

    The sources of the profile's ``field`` (the city's side of the figure) come first.
    """
    block = getattr(p, field, None) if field else None
    own = [b.source for b in (block if isinstance(block, list) else [block])
           if isinstance(b, Cited)]
    flagged = [(f.id, f.detail) for f in (flags_on(p, field) if field else [])]
    return notes.figure_note([*own, *sources], caveats, flagged)


def share_caveats(shares: pd.DataFrame, city: str) -> list[str]:
    """Sentences on the survey shares of a figure whose base, or meaning, is uncertain.

    Covers a base stated by only some of the sources joined in one figure, a base the data note
    as uncertain, and (strategy shares) items that may include the city's own answer.
    """
    out: list[str] = []
    for r in shares.itertuples():
        if pd.isna(r.value) or pd.isna(r.base_n):
            continue
        given = r.base_sources.split("; ")
        if len(given) < len(r.source.split("; ")):
            out.append(f"The {r.value:g}% ({r.survey_round}) base n = {r.base_n} is stated by "
                       f"{', '.join(given)} only.")
    notes = shares.loc[shares["base_note"] != "", ["survey_round", "base_sources", "base_note"]]
    for (rnd, src, note), _ in notes.groupby(list(notes.columns), sort=False):
        out.append(f"Base uncertain for the {rnd} shares from {src}: {note}.")
    if {"matches_city", "may_include_city"} <= set(shares.columns):
        marked = shares["matches_city"] | shares["may_include_city"]
        for (q, answer), m in marked.groupby([shares["question"], shares["city_answer"]],
                                             sort=False):
            if not m.any():
                out.append(f"The survey has no item for {city}'s answer \u201c{answer}\u201d "
                           f"on {q}, so no bar is marked as {city}'s.")
    if "may_include_city" in shares:
        for r in shares[shares["may_include_city"]].itertuples():
            out.append(f"The {r.value:g}% ({r.survey_round}) for \u201c{r.item}\u201d may "
                       f"include cities that, like {city}, answer \u201c{r.city_answer}\u201d "
                       "(the source does not say).")
    return out


def shares_note(p: Profile, shares: pd.DataFrame, field: str) -> str:
    """The note under a figure of survey shares: sources, caveats on shares, flags on ``field``."""
    return figure_note(p, shares["source"], field, share_caveats(shares, p.city))


def flag_table(p: Profile) -> pd.DataFrame:
    """The profile's flags as shown to readers: one row per flag id, without locators."""
    return reader_table(flags_frame(p))


def flag_lines(p: Profile, field: str) -> str:
    """The flags on ``field`` as lines (problem, detail, decision), or a line saying none."""
    return as_lines(on_field(flags_frame(p), field),
                    none=f"No data-quality flag on {field} in {p.city}'s profile.")


def shown_rows(survey: pd.DataFrame) -> pd.DataFrame:
    """The survey rows this profile view can show: respondents, strategy, roles, availability."""
    numeric = survey["question"].isin({questions.RESPONDENTS, ROLES_QUESTION,
                                       AVAILABILITY_QUESTION}) & survey["value"].notna()
    strategy = survey["question"].isin(STRATEGY_QUESTIONS.values()) & (survey["unit"] == "percent")
    return survey[numeric | strategy].reset_index(drop=True)


def cited_sources(p: Profile, survey: pd.DataFrame | None = None) -> list[str]:
    """Source ids cited by the profile and by the survey rows shown, in first-seen order."""
    ids = [s for _, s in data.cited_ids(p)]
    if survey is not None:
        ids += [s for src in shown_rows(survey)["source"] for s in src.split("; ")]
    return list(dict.fromkeys(ids))


# --- strategy ------------------------------------------------------------------------------


def strategy_table(p: Profile, with_survey: bool = True) -> pd.DataFrame | Absent:
    """The city's strategy answers; with the survey share its profile quotes beside each."""
    s = data.strategy(p)
    if s.empty:
        return data.not_given(p, "its answers on strategy and approach")
    out = pd.DataFrame({"question": s["question"], "city_answer": s["answer"]})
    if with_survey:
        out["survey_share_on_profile"] = [share_text(v, w) for v, w in
                                          zip(s["survey_value"], s["survey_wording"], strict=True)]
        out["survey_round"] = s["survey_round"].fillna("not stated")
        out["base"] = "not stated"
    out["source"] = s["source"]
    return out


def strategy_shares(p: Profile, bench: pd.DataFrame) -> pd.DataFrame:
    """Survey-wide shares of the items of each strategy question the city answered.

    One row per distinct figure (repeated figures from several sources are collapsed), with
    ``matches_city`` true where the item describes the city's answer and ``may_include_city``
    where it may also count cities answering like the city (``answer_may_include``).
    """
    cols = ["question", "city_answer", "item", "survey_round", "value", "wording", "base_n",
            "base_sources", "base_note", "source", "matches_city", "may_include_city"]
    frames = []
    for s in p.strategy:
        survey_q = STRATEGY_QUESTIONS.get(s.question)
        rows = bench[(bench["question"] == survey_q) & (bench["unit"] == "percent")]
        if rows.empty:
            continue
        rows = _collapse(rows, ["survey_round", "item", "value", "wording"])
        rows.insert(0, "question", s.question)
        rows.insert(1, "city_answer", s.answer)
        rows["matches_city"] = [answer_matches(s.answer, i, s.question) for i in rows["item"]]
        rows["may_include_city"] = [answer_may_include(s.answer, i, s.question)
                                    for i in rows["item"]]
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def strategy_left_out(p: Profile, bench: pd.DataFrame) -> str:
    """A sentence on survey figures for a differently worded version of the city's questions.

    Such rows (e.g. a report's "formal innovation strategy (report text)" beside the survey's
    "(Q1.1)") are not drawn beside the survey item; this says what they are and why.
    """
    asked = {_key(STRATEGY_QUESTIONS[s.question]): STRATEGY_QUESTIONS[s.question]
             for s in p.strategy if s.question in STRATEGY_QUESTIONS}
    other = bench["question"].map(lambda q: _key(q) in asked and q not in asked.values())
    rows = bench[(bench["component"] == "strategy") & (bench["unit"] == "percent")
                 & bench["value"].notna() & other]
    if rows.empty:
        return "No survey-wide figure for a differently worded version of these questions."
    parts = []
    for r in rows.itertuples():
        kind = re.search(r"\(([^)]*)\)\s*$", r.question)
        why = "; ".join(x for x in str(r.note or "").split("; ") if x and not x.startswith("'"))
        parts.append(f"{r.value:g}% ({r.survey_round}, {r.source}) of cities with "
                     f"\u201c{r.item}\u201d" + (f", from the {kind.group(1)}" if kind else "")
                     + (f" ({why})" if why else ""))
    return "Not drawn, as the question is worded differently: " + "; ".join(parts) + "."


# --- roles ---------------------------------------------------------------------------------


def roles_table(p: Profile) -> pd.DataFrame | Absent:
    """The listed roles and, where the stated count is higher, one row per unnamed role."""
    cols = ["position", "role", "status", "role_family"]
    if p.roles is None or not (p.roles.listed or p.roles.stated_count):
        return Absent("No table of roles: none are listed.")
    rows = [{"position": i, "role": r, "status": "listed",
             "role_family": role_family(r) or "unmatched"}
            for i, r in enumerate(p.roles.listed, 1)]
    rows += [{"position": i, "role": "(not named in the profile)",
              "status": "stated, not listed", "role_family": "unknown"}
             for i in range(len(p.roles.listed) + 1, (p.roles.stated_count or 0) + 1)]
    return pd.DataFrame(rows, columns=cols)


def roles_sentence(p: Profile) -> str:
    """The stated and listed role counts in one sentence, with the gap when there is one."""
    if p.roles is None:
        return f"{p.city}'s profile does not give its innovation roles."
    stated, listed = p.roles.stated_count, len(p.roles.listed)
    if stated is None:
        return f"{p.city}'s profile lists {listed} innovation roles and states no number."
    text = f"{p.city}'s profile states {stated} innovation roles and lists {listed}"
    if stated > listed:
        return text + f": {stated - listed} stay unnamed."
    if listed > stated:
        return text + f": {listed - stated} more listed than stated."
    return text + "."


def _side_by_side(survey: pd.DataFrame, city: list[tuple[str, str | None]],
                  family: dict[str, str | None]) -> pd.DataFrame:
    """Survey rows and city items (label, status) joined by family; unmatched items kept."""
    rows = []
    matched: set[str] = set()

    def joined(values: list[str | None]) -> str | None:
        return "; ".join(dict.fromkeys(v for v in values if v)) or None

    for r in survey.itertuples():
        fam = family[r.label]
        mine = [(c, s) for c, s in city if fam is not None and family[c] == fam]
        matched.update(c for c, _ in mine)
        rows.append({"label": r.label, "survey_round": r.survey_round, "value": r.value,
                     "base_n": r.base_n, "base_sources": r.base_sources,
                     "base_note": r.base_note, "source": r.source,
                     "city_label": joined([c for c, _ in mine]),
                     "city_status": joined([s for _, s in mine]),
                     "status": MATCHED if mine else SURVEY_ONLY})
    rows += [{"label": c, "survey_round": None, "value": None, "base_n": pd.NA, "base_sources": "",
              "base_note": "", "source": None, "city_label": c, "city_status": s,
              "status": CITY_ONLY}
             for c, s in city if c not in matched]
    out = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    out["value"] = out["value"].astype(float)
    out["base_n"] = out["base_n"].astype("Int64")
    return out


def _survey_rows(bench: pd.DataFrame, component: str, question: str) -> pd.DataFrame:
    rows = bench[(bench["component"] == component) & (bench["question"] == question)
                 & (bench["unit"] == "percent") & bench["value"].notna()]
    return _collapse(rows.rename(columns={"item": "label"}), ["survey_round", "label", "value"])


def ranking_sentence(p: Profile) -> str:
    """Whether the numbered options are known to rank the city's priorities (from the flags)."""
    found = flags_on(p, "activities.ranking")
    if not found:
        return (f"No flag on the numbering in {p.city}'s profile: the numbers are kept as "
                "printed.")
    ids = ", ".join(f.id for f in found)
    return (f"Uncertain (flag {ids}): the numbers may follow the questionnaire's order rather "
            f"than rank {p.city}'s priorities; they are kept as printed.")


def role_shares(p: Profile, bench: pd.DataFrame) -> pd.DataFrame:
    """Survey-wide shares of cities with each role, beside the city's listed roles.

    ``status`` is "matched" (the city lists a role of the same family), "survey only", or
    "city only" (a listed role with no survey figure in the rounds given).
    """
    survey = _survey_rows(bench, "roles", ROLES_QUESTION)
    listed = p.roles.listed if p.roles else []
    family = {lab: role_family(lab) for lab in [*survey["label"], *listed]}
    return _side_by_side(survey, [(r, None) for r in listed], family)


# --- activities ----------------------------------------------------------------------------


def activity_links(p: Profile) -> pd.DataFrame:
    """The numbered options with the city's own activity (and its position) where it matches."""
    out = data.activities(p)
    own = [a.name for a in p.activities.common] if p.activities else []
    out["own_position"] = [own.index(a) + 1 if isinstance(a, str) else pd.NA
                           for a in out["city_activity"]]
    out["own_position"] = out["own_position"].astype("Int64")
    return out[["rank", "option", "city_activity", "own_position", "examples", "source"]]


def own_activities(p: Profile) -> pd.DataFrame | Absent:
    """The city's own activities, in its order, with their examples and matching option."""
    cols = ["activity", "examples", "numbered_option"]
    if p.activities is None or not p.activities.common:
        return data.not_given(p, "innovation activities of its own")
    rank = {o.label: o.rank for o in p.activities.ranking}

    def option(label: str | None) -> str:
        if label is None:
            return "none matched"
        return f"{rank[label]}. {label}" if label in rank else f"{label} (number not printed)"

    return pd.DataFrame([{"activity": a.name, "examples": "; ".join(a.examples) or "none given",
                          "numbered_option": option(a.survey_option)}
                         for a in p.activities.common], columns=cols)


# --- policy areas and data -----------------------------------------------------------------


def availability_shares(p: Profile, bench: pd.DataFrame) -> pd.DataFrame:
    """Survey-wide data-availability shares by policy area beside the city's areas.

    ``city_status`` is the city's data status of its matching areas (sufficient, insufficient,
    unknown); areas without a survey figure are kept with status "city only".
    """
    survey = _survey_rows(bench, "data", AVAILABILITY_QUESTION)
    areas = [(a.area, a.status)
             for a in (p.data_availability.areas if p.data_availability else [])]
    family = {lab: area_item(lab) for lab in [*survey["label"], *(a for a, _ in areas)]}
    return _side_by_side(survey, areas, family)


#: What a profile without policy areas says, by its status (see Profile.policy_areas_status).
POLICY_STATUS_SENTENCES = {
    "none_prioritised": "{city}'s profile answers that it does not prioritise policy sectors "
                        "for its innovation work.",
    "empty": "{city}'s profile prints the policy-areas heading but lists no area under it.",
    "prose_only": "{city}'s profile describes its focus in prose but lists no policy area.",
}


def policy_area_table(p: Profile) -> pd.DataFrame | Absent:
    """The city's policy areas of focus with their goals, target years and means."""
    if not p.policy_areas:
        said = POLICY_STATUS_SENTENCES.get(p.policy_areas_status or "")
        return Absent(said.format(city=p.city)) if said else data.not_given(p, "its policy areas")
    out = data.policy_areas(p)[["policy_area", "goal", "target_year", "means", "source"]]
    out["target_year"] = out["target_year"].astype("string").fillna("none given")
    return out


def data_partners(p: Profile) -> pd.DataFrame | Absent:
    """The city's data partners with their examples."""
    out = data.partnerships(p)
    out = out[out["kind"] == "data"][["partner", "examples", "source"]].reset_index(drop=True)
    if out.empty:
        return data.not_given(p, "its data partners")
    out["examples"] = out["examples"].replace("", "none given")
    return out


def data_purposes(p: Profile) -> str:
    """What the city partners on data for, in one sentence."""
    purposes = p.partnerships.data_purposes if p.partnerships else []
    if not purposes:
        return f"{p.city}'s profile does not say what its data partnerships are for."
    return f"{p.city} partners on data to: " + "; ".join(purposes) + "."


def availability_sentence(p: Profile) -> str:
    """How many policy areas the profile lists for data availability, by status."""
    statuses = [a.status for a in (p.data_availability.areas if p.data_availability else [])]
    if not statuses:
        return f"{p.city}'s profile gives no data availability by policy area."
    counts = pd.Series(statuses).value_counts().sort_index()
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    return (f"{p.city}'s profile lists {len(statuses)} policy areas for data availability; "
            f"status: {parts}.")
