"""What changed between two versions of a city's profile page (notebook 06); no matplotlib.

A section a page does not print (a compact rendering has no policy areas, roles or terms; a
cut-off page stops early) is "not in that page": its items are never counted as dropped or
added. Items are matched ignoring case and surrounding spaces.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..store import versions
from ..store.flags import flags_frame
from ..store.models import Profile

#: The list sections compared, with their reader labels (singular item word second).
SECTIONS: dict[str, tuple[str, str]] = {
    "helps_to": ("Aims (innovation is helping to)", "aim"),
    "success_factors": ("Critical success factors", "success factor"),
    "policy_areas": ("Policy areas", "policy area"),
    "roles": ("Innovation roles listed", "role"),
    "innovation_terms": ("Terms associated with innovation", "term"),
}
KEPT, ADDED, DROPPED = "kept", "added", "dropped"
NOT_IN_OLDER, NOT_IN_NEWER = "not in the older page", "not in the newer page"
STATUSES = (KEPT, ADDED, DROPPED, NOT_IN_OLDER, NOT_IN_NEWER)


def section_items(p: Profile, section: str) -> list[str] | None:
    """The items a page lists in a section; None where the page does not give the section.

    Policy areas count as given where listed or where the city says it prioritises none; a
    heading followed by nothing, or prose only, gives no list to compare.
    """
    if section == "policy_areas":
        if p.policy_areas:
            return [a.name for a in p.policy_areas]
        return [] if p.policy_areas_status == "none_prioritised" else None
    if section == "roles":
        return list(p.roles.listed) if p.roles else None
    block = getattr(p, section)
    return list(block.items) if block is not None else None


def _key(item: str) -> str:
    return " ".join(item.split()).casefold()


def item_changes(older: Profile, newer: Profile) -> pd.DataFrame:
    """One row per section item of either page: ``status`` kept, added, dropped, or not in
    the older / newer page (the section is missing there, so no change can be read)."""
    rows: list[dict[str, Any]] = []
    for section, (label, _word) in SECTIONS.items():
        old, new = section_items(older, section), section_items(newer, section)
        if old is None and new is None:
            continue
        old_keys = {_key(i) for i in old or []}
        new_keys = {_key(i) for i in new or []}
        seen: set[str] = set()
        for item, in_old in [(i, True) for i in old or []] + [(i, False) for i in new or []]:
            k = _key(item)
            if k in seen:
                continue
            seen.add(k)
            if old is None:
                status = NOT_IN_OLDER
            elif new is None:
                status = NOT_IN_NEWER
            elif k in old_keys and k in new_keys:
                status = KEPT
            else:
                status = DROPPED if in_old else ADDED
            rows.append({"section": section, "section_label": label, "item": item,
                         "in_older": k in old_keys if old is not None else pd.NA,
                         "in_newer": k in new_keys if new is not None else pd.NA,
                         "status": status})
    frame = pd.DataFrame(rows, columns=["section", "section_label", "item", "in_older",
                                        "in_newer", "status"])
    frame["status"] = pd.Categorical(frame["status"], categories=list(STATUSES))
    return frame


def section_summary(older: Profile, newer: Profile) -> pd.DataFrame:
    """Per section: items in each page (empty where not in the page), kept, added, dropped."""
    changes = item_changes(older, newer)
    rows = []
    for section, (label, _word) in SECTIONS.items():
        old, new = section_items(older, section), section_items(newer, section)
        part = changes[changes["section"] == section]["status"]
        comparable = old is not None and new is not None
        rows.append({"section": label,
                     "older_page": len(old) if old is not None else pd.NA,
                     "newer_page": len(new) if new is not None else pd.NA,
                     "kept": int((part == KEPT).sum()) if comparable else pd.NA,
                     "added": int((part == ADDED).sum()) if comparable else pd.NA,
                     "dropped": int((part == DROPPED).sum()) if comparable else pd.NA})
    out = pd.DataFrame(rows)
    for col in ("older_page", "newer_page", "kept", "added", "dropped"):
        out[col] = out[col].astype("Int64")
    return out.set_index("section")


# --- facts: leader, officers, population, strategy, team ------------------------------------

def _answer(p: Profile, question: str) -> tuple[str | None, str | None]:
    for a in p.strategy:
        if a.question == question:
            return a.answer, a.survey_share.wording if a.survey_share else None
    return None, None


def _population(p: Profile) -> tuple[int | None, int | None]:
    return (p.population.value, p.population.year) if p.population else (None, None)


def _fmt(value: Any, label: str = "") -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and "year" not in label:
        return f"{value:,}"
    return str(value)


def fact_rows(p: Profile) -> dict[str, Any]:
    """The facts of one page that are compared, by reader label (None: not in the page)."""
    strategy, strategy_share = _answer(p, "explicit innovation strategy")
    approach, approach_share = _answer(p, "approach to innovation capacity")
    value, year = _population(p)
    return {
        "Leader": p.mayor.name if p.mayor else None,
        "Leader's title": p.mayor.title if p.mayor else None,
        "Lead innovation officers": ", ".join(p.innovation_officers.names)
        if p.innovation_officers else None,
        "Population": value,
        "Population year": year,
        "Explicit innovation strategy": strategy,
        "Survey share quoted (strategy)": strategy_share,
        "Approach to innovation capacity": approach,
        "Survey share quoted (approach)": approach_share,
        "Innovation team staff": p.teams.staff if p.teams else None,
    }


def facts(older: Profile, newer: Profile) -> pd.DataFrame:
    """Each compared fact in the two pages and whether it changed (or is not in a page)."""
    old, new = fact_rows(older), fact_rows(newer)
    rows = []
    for label in old:
        a, b = old[label], new[label]
        if a is None and b is None:
            change = "in neither page"
        elif a is None:
            change = NOT_IN_OLDER
        elif b is None:
            change = NOT_IN_NEWER
        else:
            change = "same" if a == b else "changed"
        rows.append({"fact": label, "older_page": _fmt(a, label) or "-",
                     "newer_page": _fmt(b, label) or "-",
                     "change": change})
    return pd.DataFrame(rows).set_index("fact")


def version_label(p: Profile) -> str:
    """A version's name with what dates it, e.g. "2018-full (2018 round, population 2017)"."""
    if p.page is None:
        return "the profile"
    parts = [f"{p.page.survey_round} round" if p.page.survey_round else "round unknown"]
    if p.page.population_year:
        parts.append(f"population {p.page.population_year}")
    return f"{p.page.id} ({', '.join(parts)})"


def dating(pages: Sequence[Profile]) -> pd.DataFrame:
    """What dates each version and what cannot be dated, one row per version."""
    rows = []
    for p in pages:
        page = p.page
        rows.append({"version": page.id if page else "newest",
                     "template": page.rendering if page and page.rendering else "not known",
                     "survey_round": page.survey_round if page and page.survey_round
                     else "not known",
                     "round_told_by": page.round_evidence if page and page.round_evidence
                     else "-",
                     "population_year": page.population_year if page else None,
                     "address": page.url if page and page.url else "not known",
                     "cannot_be_dated": "; ".join(page.flags) if page else "no page record"})
    out = pd.DataFrame(rows)
    out["population_year"] = out["population_year"].astype("Int64")
    return out.set_index("version")


# --- sentences and findings ----------------------------------------------------------------

def _list(items: Sequence[str], limit: int = 4) -> str:
    shown = [f"'{i}'" for i in items[:limit]]
    more = len(items) - limit
    text = ", ".join(shown)
    return text + (f" and {more} more" if more > 0 else "")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def section_sentences(older: Profile, newer: Profile) -> list[str]:
    """One computed sentence per section: what was kept, added and dropped, or why not read."""
    changes = item_changes(older, newer)
    a, b = older.page.id if older.page else "older", newer.page.id if newer.page else "newer"
    out = []
    for section, (label, word) in SECTIONS.items():
        old, new = section_items(older, section), section_items(newer, section)
        if old is None and new is None:
            out.append(f"{label}: in neither page.")
            continue
        if old is None or new is None:
            missing = a if old is None else b
            other = len(old if new is None else new)
            listed = _count(other, word) if other else f"no {word} listed"
            out.append(f"{label}: not in the {missing} page, so no change can be read "
                       f"({listed} in the other).")
            continue
        part = changes[changes["section"] == section]
        added = part[part["status"] == ADDED]["item"].tolist()
        dropped = part[part["status"] == DROPPED]["item"].tolist()
        kept = int((part["status"] == KEPT).sum())
        if not added and not dropped:
            out.append(f"{label}: the same {_count(kept, word)} in both pages.")
            continue
        bits = [f"{kept} kept"]
        if added:
            bits.append(f"{len(added)} added ({_list(added)})")
        if dropped:
            bits.append(f"{len(dropped)} dropped ({_list(dropped)})")
        out.append(f"{label}: " + "; ".join(bits) + ".")
    return out


def fact_sentences(older: Profile, newer: Profile) -> list[str]:
    """Computed sentences on leader, officers, population, strategy answers and team staff."""
    table = facts(older, newer)
    out = []
    (v0, y0), (v1, y1) = _population(older), _population(newer)
    for fact, row in table.iterrows():
        if fact == "Population year":
            continue
        if fact == "Population" and v0 and v0 == v1 and y0 != y1:
            out.append(f"Population: {v0:,} in both pages, dated {y0 or 'without a year'} in "
                       f"the older and {y1 or 'without a year'} in the newer.")
            continue
        if row["change"] == "changed":
            out.append(f"{fact}: {row['older_page']} in the older page, {row['newer_page']} in "
                       "the newer.")
        elif row["change"] == "same":
            out.append(f"{fact}: {row['older_page']} in both pages.")
        elif row["change"] in (NOT_IN_OLDER, NOT_IN_NEWER):
            given = row["newer_page"] if row["change"] == NOT_IN_OLDER else row["older_page"]
            out.append(f"{fact}: {row['change']} ({given} in the other).")
    if v0 and v1 and y0 and y1 and v0 != v1:
        change = v1 - v0
        out.append(f"Population moved by {change:+,} ({change / v0:+.1%}) between the "
                   f"population years {y0} and {y1}.")
    return out


def findings(older: Profile, newer: Profile) -> dict[str, Any]:
    """Key figures for the report index, by reader labels."""
    summary = section_summary(older, newer)
    fact = facts(older, newer)["change"]

    def n(label: str, col: str) -> int | None:
        value = summary.loc[SECTIONS[label][0], col]
        return None if pd.isna(value) else int(value)

    return {
        "Versions compared": f"{older.page.id if older.page else 'older'} and "
                             f"{newer.page.id if newer.page else 'newer'}",
        "Aims added": n("helps_to", "added"),
        "Aims dropped": n("helps_to", "dropped"),
        "Success factors added": n("success_factors", "added"),
        "Success factors dropped": n("success_factors", "dropped"),
        "Leader changed": fact["Leader"] == "changed",
        "Innovation officers changed": fact["Lead innovation officers"] == "changed",
    }


def headlines(older: Profile, newer: Profile) -> list[str]:
    """Two or three sentences for the landing page, built from the computed changes."""
    city = newer.city
    out = [f"{city}'s page versions {version_label(older)} and {version_label(newer)} compared."]
    out += [s for s in section_sentences(older, newer)[:2]]
    return out


# --- across cities --------------------------------------------------------------------------

def across_cities(root: str | os.PathLike[str] | None = None,
                  sections: Sequence[str] = ("helps_to", "success_factors")) -> pd.DataFrame:
    """Over every city with two versions or more, oldest against newest: per section and item,
    how many cities added it, dropped it and kept it (only cities whose two pages both give the
    section count); ``cities_compared`` is that number of cities."""
    rows = []
    compared: dict[str, int] = dict.fromkeys(sections, 0)
    for city in versions.cities_with_versions(root):
        pages = versions.load_versions(city, root)
        old, new = pages[0], pages[-1]
        changes = item_changes(old, new)
        for section in sections:
            if section_items(old, section) is None or section_items(new, section) is None:
                continue
            compared[section] += 1
            part = changes[changes["section"] == section]
            rows += [{"section": SECTIONS[section][0], "item": r.item, "city": city,
                      "status": str(r.status)} for r in part.itertuples()]
    frame = pd.DataFrame(rows, columns=["section", "item", "city", "status"])
    counts = (frame.assign(n=1).pivot_table(index=["section", "item"], columns="status",
                                            values="n", aggfunc="sum", fill_value=0)
              .reindex(columns=[ADDED, DROPPED, KEPT], fill_value=0).reset_index())
    counts.columns.name = None
    counts["cities_compared"] = counts["section"].map(
        {SECTIONS[s][0]: n for s, n in compared.items()}).astype(int)
    counts = counts.astype({ADDED: int, DROPPED: int, KEPT: int})
    return counts.sort_values(["section", ADDED, DROPPED, "item"],
                              ascending=[True, False, False, True]).reset_index(drop=True)


def across_sentences(counts: pd.DataFrame) -> list[str]:
    """Per section: the items most often added and most often dropped, with city counts."""
    out = []
    for section, part in counts.groupby("section", sort=False):
        n = int(part["cities_compared"].iloc[0])
        bits = []
        for col in (ADDED, DROPPED):
            top = int(part[col].max()) if len(part) else 0
            if top == 0:
                bits.append(f"none {col}")
                continue
            items = sorted(part.loc[part[col] == top, "item"])
            bits.append(f"most often {col}: {_list(items, 3)} ({top} of {n} cities)")
        out.append(f"{section}, {n} cities compared: " + "; ".join(bits) + ".")
    return out


# --- flags and sources ----------------------------------------------------------------------

def page_flags(pages: Sequence[Profile]) -> pd.DataFrame:
    """Every data-quality flag of the pages compared, and what cannot be dated, by version."""
    rows = []
    for p in pages:
        vid = p.page.id if p.page else "newest"
        rows += flags_frame(p).assign(version=vid).to_dict("records")
        rows += [{"version": vid, "flag_id": f"dating-{i}", "field": "page", "problem":
                  "missing", "detail": text, "decision": "Shown as not known; versions are "
                  "ordered by round, population year, then the order they were added."}
                 for i, text in enumerate(p.page.flags if p.page else [], start=1)]
    cols = ["version", "flag_id", "field", "problem", "detail", "decision"]
    return pd.DataFrame(rows, columns=cols).set_index(["version", "flag_id"])


def cited_sources(pages: Sequence[Profile], root: str | os.PathLike[str] | None = None,
                  with_survey: bool = True) -> list[str]:
    """Source ids behind what the notebook shows: the pages' records and (``with_survey``) the
    survey figures that date them (the benchmark rows named in each page's round evidence)."""
    from .. import data

    ids = [s for p in pages for _field, s in data.cited_ids(p)]
    if not with_survey:
        return list(dict.fromkeys(ids))
    bench = data.benchmarks(root)
    for p in pages:
        told = p.page.round_evidence if p.page and p.page.round_evidence else ""
        ids += [row.source for row in bench.itertuples() if f"figure {row.id} " in told]
    return list(dict.fromkeys(ids))
