"""Expected answers of the three exercise notebooks, computed from ``data/`` through the package.

The check cells compare a student's answer with these, so no number is typed into a notebook
and the answer is not in plain view. Some answers re-do an analysis step by hand on purpose (the
way the exercise asks for it); where an answer is the package's own result, it calls the analysis.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import data
from ..analysis import themes
from ..store.flags import on_field
from ..store.models import Profile, Region

# --- expected answers: 1_profile_to_tidy_data ------------------------------------------------


def role_counts(p: Profile) -> tuple[int, int]:
    """(stated, listed) number of innovation roles of a profile."""
    roles = data.roles(p)
    return int(roles["stated_count"].iloc[0]), int(roles["listed_count"].iloc[0])


def roles_table(p: Profile) -> pd.DataFrame:
    """The tidy roles table students build from the raw YAML."""
    return data.roles(p)[["role", "position", "stated_count", "source", "locator"]]


def flag_on(p: Profile, field: str) -> str:
    """Id of the (single) flag recorded on ``field``."""
    return str(on_field(data.flags(p), field, below=False)["flag_id"].item())


def printed_funding_items(p: Profile) -> list[str]:
    """The items of the garbled "activities being funded" list, as printed."""
    raw = next(f.raw for f in p.flags if f.field == "funded_activities" and f.raw)
    return [item.strip() for item in raw.split("/")]


def counted_pairs(p: Profile) -> pd.DataFrame:
    """Every (activity, count) pair printed, in printed order (aligned or not)."""
    fa = data.funded_activities(p)
    return fa[fa["cities"].notna()].sort_values("position")[["activity", "cities"]]


def repeated_activity(p: Profile) -> str:
    """The activity printed with more than one count."""
    counts = counted_pairs(p)["activity"].value_counts()
    return str(counts[counts > 1].index.item())


def chartable_counts(p: Profile) -> pd.DataFrame:
    """The aligned pairs with a count, largest first: what a chart may show."""
    fa = data.funded_activities(p)
    keep = fa[fa["aligned"] & fa["cities"].notna()]
    return keep.sort_values("cities", ascending=False)[["activity", "cities"]]


def flag_counts(p: Profile) -> pd.Series:
    """Number of flags by kind of problem."""
    return data.flags(p)["problem"].value_counts()


def flagged_sections(p: Profile) -> set[str]:
    """Top-level profile sections with at least one flag.

    A flag's field may name several paths separated by ", "; each path counts. A section can be
    flagged without being stored (``innovation_website``: the page shows the label only).
    """
    return {path.split(".")[0] for field in data.flags(p)["field"]
            for path in field.split(", ")}


# --- expected answers: 2_benchmarking_a_city --------------------------------------------------


def quoted_share_rounds(p: Profile, bench: pd.DataFrame, answer: str, question: str) -> set[str]:
    """Survey rounds of the ``question`` rows giving the share the profile quotes for ``answer``."""
    strategy = data.strategy(p).set_index("question")
    quoted = strategy.loc[answer, "survey_value"]
    rows = bench[(bench["question"] == question) & (bench["value"] == quoted)]
    return set(rows["survey_round"])


def respondents(bench: pd.DataFrame, survey_round: str) -> int:
    """Number of cities responding in a survey round (every source giving a number agrees)."""
    rows = data.respondent_rows(bench)
    return int(rows.loc[rows["survey_round"] == survey_round, "value"].unique().item())


def count_percent_pairs(bench: pd.DataFrame, source: str) -> pd.DataFrame:
    """2018 questions for which ``source`` prints a percentage and a count of cities side by side,
    with the share the count gives of all respondents and the base the percentage implies."""
    rows = bench[(bench["survey_round"] == "2018") & (bench["source"] == source)]
    by_unit = {unit: rows[rows["unit"] == unit].set_index("question")["value"]
               for unit in ("percent", "cities")}
    both = by_unit["percent"].index.intersection(by_unit["cities"].index)
    out = pd.DataFrame({"question": both, "percent": by_unit["percent"][both].to_numpy(),
                        "cities": by_unit["cities"][both].to_numpy()})
    out["share_of_respondents"] = (out["cities"] / respondents(bench, "2018") * 100).round(1)
    out["implied_base"] = (out["cities"] / out["percent"] * 100).round(1)
    return out


def percent_rows_without_base(bench: pd.DataFrame) -> int:
    """Number of survey shares of cities given as a number but without their base n.

    Rows that give a share in words only (no value) and the ``well-being`` rows (shares of
    residents, to which a base of cities does not apply) are not counted.
    """
    pct = bench[(bench["unit"] == "percent") & bench["value"].notna()
                & (bench["component"] != "well-being")]
    return int(pct["base_n"].isna().sum())


def share_in_cities(bench: pd.DataFrame, question: str) -> pd.DataFrame:
    """Each share of ``question`` as a number of cities: its own base n when stated, else all
    respondents of its round."""
    rows = bench[(bench["question"] == question) & bench["value"].notna()]
    every = {r: respondents(bench, r) for r in rows["survey_round"].unique()}
    base = rows["base_n"].astype("Float64").fillna(rows["survey_round"].map(every))
    out = rows[["item", "survey_round", "value"]].assign(base=base.astype("float64"))
    out["cities"] = (out["value"] / 100 * out["base"]).round(1)
    return out


def counted_activities(p: Profile) -> pd.DataFrame:
    """Funded activities that a chart may show: aligned and with a count, in printed order."""
    fa = data.funded_activities(p)
    return fa[fa["aligned"] & fa["cities"].notna()]


def shares_under_bases(p: Profile, bench: pd.DataFrame) -> pd.DataFrame:
    """The counted activities as shares of the 2018 respondents and of both rounds' respondents."""
    out = counted_activities(p)[["activity", "cities", "city_funds"]].copy()
    for name, rnd in (("share_if_2018", "2018"), ("share_if_both", "2018+2020")):
        out[name] = (out["cities"].astype("float64") / respondents(bench, rnd) * 100).round(1)
    return out


def highlighted_bars(p: Profile) -> int:
    """Bars a chart of the counted activities draws in the highlight colour (the city's own)."""
    return int(counted_activities(p)["city_funds"].sum())


def not_known_to_be_round_only(p: Profile) -> set[str]:
    """Counted activities not known to be asked in one survey round only.

    This does not make them comparable across rounds: the counts' round and base are unknown.
    """
    one_round = {o.option for o in p.funding_use.round_only_options} if p.funding_use else set()
    return set(counted_activities(p)["activity"]) - one_round


# --- expected answers: 3_tracing_strategy_themes ----------------------------------------------


def themes_per_period(r: Region) -> pd.Series:
    """Number of themes of each period, indexed by period."""
    return data.periods(r).set_index("period")["n_themes"]


def shared_years(r: Region) -> set[int]:
    """Years that fall in more than one strategy period."""
    years = pd.Series([y for p in data.periods(r).itertuples()
                       for y in range(p.start, p.end + 1)])
    counts = years.value_counts()
    return {int(y) for y in counts[counts > 1].index}


def untraced_themes(r: Region, period: str) -> set[str]:
    """Themes of ``period`` with no documented link to a theme of the next period."""
    table = data.themes(r)
    linked = set(data.lineage(r)["from_id"])
    here = table[table["period"] == period]
    return set(here.loc[~here["theme_id"].isin(linked), "theme"])


def focus_set(terms: Iterable[str]) -> set[str]:
    """A theme's focus areas as a set of lower-case terms."""
    return {t.strip().lower() for t in terms}


def jaccard_cases(r: Region) -> tuple[list[tuple[set[str], set[str]]], list[float]]:
    """Cases for the student's jaccard(): a set with itself, documented pairs, and two empties."""
    focus = {t.theme_id: focus_set(t.focus_areas) for t in data.themes(r).itertuples()}
    first = next(iter(focus.values()))
    cases = [(first, first)] + [(focus[e.from_id], focus[e.to_id])
                                for e in data.lineage(r).itertuples()] + [(set(), set())]
    return cases, [themes.jaccard(a, b) for a, b in cases]


def jaccard_scores(r: Region) -> pd.DataFrame:
    """Jaccard similarity of the focus areas of every theme to every theme of the next period."""
    table = data.themes(r)
    ids = [str(p) for p in table["period"].cat.categories]
    rows = [{"from_period": a, "to_period": b, "from_id": x.theme_id, "to_id": y.theme_id,
             "from_theme": x.theme, "to_theme": y.theme,
             "jaccard": themes.jaccard(focus_set(x.focus_areas), focus_set(y.focus_areas))}
            for a, b in zip(ids[:-1], ids[1:], strict=True)
            for x in table[table["period"] == a].itertuples()
            for y in table[table["period"] == b].itertuples()]
    return pd.DataFrame(rows)


def link_agreement(r: Region, threshold: float) -> pd.DataFrame:
    """Documented links and Jaccard links at ``threshold``, each marked with one of
    ``themes.STATUSES`` (agree / documented only / inferred only)."""
    scores = jaccard_scores(r)
    inferred = scores.loc[scores["jaccard"] >= threshold, ["from_id", "to_id"]]
    documented = data.lineage(r)[["from_id", "to_id"]]
    both = documented.merge(inferred, how="outer", indicator=True)
    labels = dict(zip(("both", "left_only", "right_only"), themes.STATUSES, strict=True))
    both["status"] = both.pop("_merge").map(labels).astype(str)
    return both


def threshold_sensitivity(r: Region) -> pd.DataFrame:
    """For each distinct positive score as threshold: links inferred, and documented among them."""
    scores = jaccard_scores(r)
    documented = set(zip(data.lineage(r)["from_id"], data.lineage(r)["to_id"], strict=True))
    rows = []
    for t in sorted(scores.loc[scores["jaccard"] > 0, "jaccard"].unique()):
        kept = scores[scores["jaccard"] >= t]
        pairs = set(zip(kept["from_id"], kept["to_id"], strict=True))
        rows.append({"threshold": t, "n_links": len(pairs),
                     "n_documented": len(pairs & documented)})
    return pd.DataFrame(rows)


def method_summary(r: Region, threshold: float) -> pd.DataFrame:
    """Per similarity method of the package: links that agree with the documented ones, are
    documented only, or inferred only, at ``threshold``."""
    table = themes.select_periods(data.themes(r), None)
    documented = themes.documented_links(data.lineage(r), table)
    rows = []
    for method in themes.METHODS:
        status = themes.compare_links(documented, themes.similarity(table, method),
                                      threshold)["status"]
        rows.append({"method": method, **{s: int((status == s).sum()) for s in themes.STATUSES}})
    return pd.DataFrame(rows)
