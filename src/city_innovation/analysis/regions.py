"""Regions across the data: pairing checks, EU-wide targets, and the region among the others.

The cross-region comparison reads only the labels of each region's strategy (English names,
sub-priorities, focus areas): each label is assigned the sectors whose keywords it contains, a
region's sectors are those of its latest period (a national period standing in is marked so),
and two regions are compared by the Jaccard index of their sector sets. Each cell keeps the
grade of the best source behind it, so a reader sees how solid each "shared" is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from ..present.fmt import counted
from ..store.load import eu_targets
from ..store.models import EuTargets, Region
from ..store.sources import source_grades as source_grades  # notebooks call regions.x
from ..store.sources import sources_table as sources_table  # notebooks call regions.x
from ..store.tidy_region import strategy_periods
from .similarity import jaccard

#: Sectors of the cross-region comparison and the keywords that reveal them in a label
#: ("*" stands for any word ending). Checked against every label in data/regions/ (see tests).
SECTORS: dict[str, tuple[str, ...]] = {
    "health & life sciences": ("health*", "medic*", "life science*", "bioscience*",
                               "biotech*", "care"),
    "digital & ICT": ("digital*", "ICT", "tech", "software", "data", "internet", "cyber*",
                      "gaming", "key technolog*", "systems"),
    "energy & climate": ("energy", "climate", "carbon", "low-carbon", "emission*", "renewable*",
                         "cleantech", "smart grid*", "green transition"),
    "environment & circular economy": ("environment*", "circular", "eco-innovation",
                                       "ecosystem*", "resource*", "bioeconomy"),
    "industry & materials": ("industry", "industrial", "manufactur*", "production",
                             "material*"),
    "mobility & transport": ("mobility", "transport*", "vehicle*", "logistic*", "shipping"),
    "food & agriculture": ("food", "agri*", "agrifood"),
    "culture & creative": ("cultur*", "creativ*", "media", "cinema", "crafts", "heritage",
                           "entertainment", "leisure"),
    "tourism": ("touris*", "hospitality"),
    "marine & water": ("marine", "blue economy", "sea", "aquatic", "water"),
    "cities & construction": ("city", "cities", "urban", "construction", "building*",
                              "housing", "districts", "regional planning"),
    "services & society": ("services to companies", "societal", "society", "safety",
                           "international encounter", "education*",
                           "higher education"),
}
GRADES = ("A", "B", "C", "D")


def _pattern(keyword: str) -> str:
    body = re.escape(keyword.rstrip("*")).replace(r"\ ", r"\s+")
    return r"\b" + body + (r"[\w-]*" if keyword.endswith("*") else r"s?") + r"\b"


_SECTOR_RE = {s: re.compile("|".join(_pattern(k) for k in words), re.IGNORECASE)
              for s, words in SECTORS.items()}


def sectors_in(text: str, sectors: Mapping[str, re.Pattern[str]] | None = None) -> list[str]:
    """The sectors whose keywords occur in ``text``, in SECTORS order."""
    return [s for s, rx in (sectors or _SECTOR_RE).items() if rx.search(text)]


# --- the labels of every region ----------------------------------------------------------------


def latest_labels(regions: Sequence[Region], grades: Mapping[str, str | None]) -> pd.DataFrame:
    """One row per theme of each region's latest period (own, or national standing in).

    ``grades`` maps source ids to their grade. Columns: region, nuts_code, period, scope,
    theme, text (name, sub-priorities and focus areas), source, grade.
    """
    rows = []
    for r in regions:
        p = strategy_periods(r)[-1]
        for t in p.themes:
            source = t.source or p.source
            rows.append({"region": r.region, "nuts_code": r.nuts_code, "period": p.id,
                         "scope": p.scope, "theme": t.name,
                         "text": "; ".join([t.name, *t.sub_priorities, *t.focus_areas]),
                         "source": source, "grade": grades.get(source)})
    return pd.DataFrame(rows, columns=["region", "nuts_code", "period", "scope", "theme", "text",
                                       "source", "grade"])


def sector_matrix(labels: pd.DataFrame) -> pd.DataFrame:
    """Region x sector, long: for each region and each sector it names, the themes naming it and
    the best (lowest-letter) grade among their sources. Regions keep the order of ``labels``."""
    rows = []
    for t in labels.itertuples():
        for s in sectors_in(t.text):
            rows.append({"region": t.region, "scope": t.scope, "period": t.period,
                         "sector": s, "theme": t.theme, "grade": t.grade})
    cols = ["region", "scope", "period", "sector", "themes", "grade"]
    if not rows:
        return pd.DataFrame(columns=cols)
    hits = pd.DataFrame(rows)
    order = list(dict.fromkeys(labels["region"]))
    out = (hits.groupby(["region", "scope", "period", "sector"], sort=False)
           .agg(themes=("theme", lambda x: list(dict.fromkeys(x))),
                grade=("grade", lambda g: min((x for x in g if x), default=None)))
           .reset_index())
    out["region"] = pd.Categorical(out["region"], categories=order, ordered=True)
    out["sector"] = pd.Categorical(out["sector"], categories=list(SECTORS), ordered=True)
    return out.sort_values(["region", "sector"]).reset_index(drop=True)[cols]


def jaccard_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Jaccard index of the sector sets of every pair of regions (square, regions as index)."""
    sets = {str(r): set(map(str, g["sector"])) for r, g in
            matrix.groupby("region", observed=True, sort=False)}
    names = list(sets)
    return pd.DataFrame([[jaccard(sets[a], sets[b]) for b in names] for a in names],
                        index=names, columns=names)


def shared_sectors(matrix: pd.DataFrame, region: str) -> pd.DataFrame:
    """For each sector of ``region``: the other regions naming it, how many, and its grade."""
    mine = matrix[matrix["region"] == region]
    rows = []
    for m in mine.itertuples():
        others = matrix[(matrix["sector"] == m.sector) & (matrix["region"] != region)]
        rows.append({"sector": str(m.sector), "grade": m.grade, "themes": ", ".join(m.themes),
                     "n_others": len(others),
                     "others": ", ".join(f"{o.region} ({o.grade})" for o in others.itertuples())})
    return pd.DataFrame(rows, columns=["sector", "grade", "themes", "n_others", "others"])


def shared_text(shared: pd.DataFrame, region: str, n_regions: int) -> str:
    """One computed sentence on what the region shares with the others (any data)."""
    if shared.empty:
        return f"No theme of {region} falls into a sector of the comparison."
    top = shared.sort_values("n_others", ascending=False, kind="stable").iloc[0]
    alone = shared.loc[shared["n_others"] == 0, "sector"].tolist()
    text = (f"Of {region}'s {len(shared)} sectors, {top['sector']} is the most shared: "
            f"{top['n_others']} of the {n_regions - 1} other regions name it.")
    if alone:
        text += f" Only {region} names {', '.join(alone)}."
    return text


def closest_text(jaccard: pd.DataFrame, region: str) -> str:
    """The region(s) whose sector set is closest to ``region``'s, with the index."""
    if region not in jaccard.index or len(jaccard) < 2:
        return f"{region} has no other region to compare with."
    row = jaccard.loc[region].drop(region)
    best = row[row == row.max()].index.tolist()
    return (f"Closest by sectors (Jaccard index {row.max():.2f}): {', '.join(best)}.")


# --- EU-wide targets ---------------------------------------------------------------------------

#: NUTS country codes of the EU's member states (Greece is EL in NUTS).
EU_MEMBERS = frozenset(["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR",
                        "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO",
                        "SE", "SI", "SK"])
#: The area an EU-wide target is set for, as the targets table names it.
EU_AREA = "European Union"


def with_eu_targets(region: Region, eu: EuTargets | None = None) -> Region:
    """The region with the EU-wide targets (and their flags) added to its own, where its NUTS
    code is in an EU member state; any other region, or a data folder without the EU file, gives
    the region unchanged."""
    from .. import data

    if not region.nuts_code or region.nuts_code[:2] not in EU_MEMBERS:
        return region
    if eu is None and not (data.data_dir() / data.EU_TARGETS).is_file():
        return region
    eu = eu or eu_targets()
    return region.model_copy(update={
        "targets": [*region.targets, *(t.model_copy(update={"area": EU_AREA})
                                       for t in eu.targets)],
        "flags": [*region.flags, *eu.flags]})


# --- sentences of the themes notebook ------------------------------------------------------------


def themes_text(themes: pd.DataFrame, grades: Mapping[str, str | None], region: str) -> str:
    """How many themes per period, how many are national stand-ins, and the grades behind them."""
    per = [f"{p}: {len(g)}" for p, g in themes.groupby("period", observed=True, sort=False)]
    national = themes.loc[themes["scope"] == "national", "period"].astype(str).unique().tolist()
    counts = themes["source"].map(grades).fillna("ungraded").value_counts()
    graded = ", ".join(f"{g} {counts[g]}" for g in [*GRADES, "ungraded"] if g in counts)
    subs = int(themes["sub_priorities"].map(len).sum())
    text = (f"{region}: {len(themes)} themes ({'; '.join(per)}), {subs} sub-priorities; themes "
            f"by grade of their source: {graded}.")
    if national:
        text += (f" {', '.join(national)}: the national strategy stands in (the region has no "
                 "list of its own for that period).")
    return text


def lineage_headline(links: pd.DataFrame, themes: pd.DataFrame, region: str) -> str:
    """Themes of the latest period that continue a documented or inferred earlier theme, and
    those that appear new (no link in)."""
    periods = [str(p) for p in themes["period"].cat.categories if (themes["period"] == p).any()]
    if len(periods) < 2:
        return (f"{region} has one strategy period in the data ({periods[0]}), so no theme "
                "can be followed from an earlier one.")
    last = themes[themes["period"].astype(str) == periods[-1]]
    linked = set(links.loc[links["to_period"].astype(str) == periods[-1], "to_theme"])
    kept = [t for t in last["theme"] if t in linked]
    new = [t for t in last["theme"] if t not in linked]
    return (f"Of {region}'s {len(last)} themes in {periods[-1]}, {len(kept)} continue a theme of "
            f"{periods[-2]} (documented or by similar text) and {len(new)} appear new"
            + (f": {', '.join(new)}." if new else "."))


def findings(region: str, periods: Sequence[str], themes: pd.DataFrame, links: pd.DataFrame,
             shared: pd.DataFrame, jaccard: pd.DataFrame, flags: pd.DataFrame
             ) -> tuple[dict[str, object], list[str]]:
    """The key findings of notebook 03 and its headline sentences, for the report: the region's
    themes over the chosen ``periods``, their lineage ``links``, the sectors it ``shared`` with
    the other regions and their ``jaccard`` indices, and its data-quality ``flags``."""
    national = themes.loc[themes["scope"] == "national", "period"].astype(str).unique()
    found: dict[str, object] = {
        "Region": region,
        "Strategy periods": len(periods),
        "Themes": len(themes),
        "National strategy standing in": ", ".join(national) or "none",
        "Sectors shared with other regions": int((shared["n_others"] > 0).sum()),
        "Closest region by sectors": closest_text(jaccard, region),
        "Data-quality flags": len(flags),
    }
    latest = themes.loc[themes["period"] == periods[-1], "theme"]
    headlines = [
        f"{region}'s themes in {periods[-1]}: {'; '.join(latest)} ({len(themes)} themes over "
        f"{counted(len(periods), 'period', 'periods')} in the data).",
        lineage_headline(links, themes, region),
        shared_text(shared, region, len(jaccard)),
    ]
    return found, headlines
