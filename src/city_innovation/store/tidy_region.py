"""A region's strategy as tidy tables: periods, themes, lineage, instruments, targets, ...

One function per part of the region's file, each returning one row per fact with its ``source``
and ``locator``. A period the region has none of is stood in for by the national strategy's
(:func:`strategy_periods`). The flags table is in ``flags``.
"""

from __future__ import annotations

import pandas as pd

from .frames import cite, frame
from .region_models import Period, Region


def strategy_periods(r: Region) -> list[Period]:
    """The region's periods in order, with a national period standing in for each period the
    region has none of (its ``scope`` says national)."""
    own = {p.id for p in r.periods}
    return sorted([*r.periods, *(p for p in r.national if p.id not in own)],
                  key=lambda p: p.start)


def themes(r: Region) -> pd.DataFrame:
    """One row per theme of every period (national stand-ins included), in period order."""
    cols = ["region", "period", "start", "end", "order", "scope", "theme_id", "theme", "kind",
            "label", "sub_priorities", "summary", "focus_areas", "source", "locator"]
    periods_ = strategy_periods(r)
    rows = [{"region": r.region, "period": p.id, "start": p.start, "end": p.end, "order": i,
             "scope": p.scope, "theme_id": t.id, "theme": t.name, "kind": t.kind,
             "label": t.label, "sub_priorities": list(t.sub_priorities), "summary": t.summary,
             "focus_areas": list(t.focus_areas), "source": t.source or p.source,
             "locator": t.locator or p.locator}
            for i, p in enumerate(periods_) for t in p.themes]
    out = frame(rows, cols)
    out["period"] = pd.Categorical(out["period"], categories=[p.id for p in periods_],
                                   ordered=True)
    return out


def periods(r: Region) -> pd.DataFrame:
    """One row per strategy period: years, approval and number of themes."""
    cols = ["region", "period", "start", "end", "name", "theme_word", "scope", "approved_year",
            "approved_by", "n_themes", "source", "locator"]
    return frame([{"region": r.region, "period": p.id, "start": p.start, "end": p.end,
                    "name": p.name, "theme_word": p.theme_word, "scope": p.scope,
                    "approved_year": p.approved.year if p.approved else None,
                    "approved_by": p.approved.by if p.approved else None,
                    "n_themes": len(p.themes), **cite(p)} for p in strategy_periods(r)], cols)


def lineage(r: Region) -> pd.DataFrame:
    """Documented links between themes of consecutive periods."""
    cols = ["from_id", "to_id", "from_theme", "to_theme", "from_period", "to_period",
            "relation", "basis", "note", "source", "locator"]
    name = {t.id: (t.name, p.id) for p in r.periods for t in p.themes}
    return frame([{"from_id": e.from_theme, "to_id": e.to_theme,
                    "from_theme": name[e.from_theme][0], "to_theme": name[e.to_theme][0],
                    "from_period": name[e.from_theme][1], "to_period": name[e.to_theme][1],
                    "relation": e.relation, "basis": e.basis, "note": e.note, **cite(e)}
                   for e in r.lineage], cols)


def instruments(r: Region) -> pd.DataFrame:
    """One row per (theme, instrument) use, with the instrument's level and kind."""
    cols = ["theme_id", "theme", "period", "instrument_id", "instrument", "level", "kind",
            "note", "source", "locator"]
    theme = {t.id: (t.name, p.id) for p in r.periods for t in p.themes}
    inst = {i.id: i for i in r.instruments}
    return frame([{"theme_id": u.theme, "theme": theme[u.theme][0], "period": theme[u.theme][1],
                    "instrument_id": u.instrument, "instrument": inst[u.instrument].name,
                    "level": inst[u.instrument].level, "kind": inst[u.instrument].kind,
                    "note": u.note, **cite(u)} for u in r.instrument_uses], cols)


def targets(r: Region) -> pd.DataFrame:
    """The region's targets with their values and years."""
    cols = ["target_id", "priority", "indicator", "target_value", "unit", "target_year",
            "wording", "eurostat_indicator", "area", "direction", "source", "locator"]
    return frame([{"target_id": t.id, "priority": t.priority, "indicator": t.indicator,
                    "target_value": t.target_value, "unit": t.unit, "target_year": t.target_year,
                    "wording": t.wording, "eurostat_indicator": t.eurostat_indicator,
                    "area": t.area, "direction": t.direction, **cite(t)} for t in r.targets],
                  cols)


def observations(r: Region) -> pd.DataFrame:
    """Observed values of the targets' indicators (empty where no source gives one).

    ``area`` is empty where the figure is for the region itself; ``age_band`` where none applies.
    """
    cols = ["target_id", "indicator", "area", "age_band", "value", "unit", "year", "note",
            "source", "locator"]
    return frame([{"target_id": o.target, "indicator": o.indicator, "area": o.area,
                    "age_band": o.age_band, "value": o.value, "unit": o.unit, "year": o.year,
                    "note": o.note, **cite(o)} for o in r.observations], cols)


def peers(r: Region) -> pd.DataFrame:
    """Regions a source names as comparable to the region, with the reason and source."""
    cols = ["code", "reason", "source", "locator"]
    return frame([{"code": p.code, "reason": p.reason, **cite(p)} for p in r.peers], cols)


def facts(r: Region) -> pd.DataFrame:
    """Facts and figures about the region, one row each, numbers and wordings side by side."""
    cols = ["fact_id", "label", "value", "unit", "wording", "year", "source", "locator"]
    return frame([{"fact_id": f.id, "label": f.label, "value": f.value, "unit": f.unit,
                    "wording": f.wording, "year": f.year, **cite(f)} for f in r.facts], cols)


def smart_specialisation(r: Region) -> str:
    """What smart specialisation is, in the words of the region's fact ``s3-concept``."""
    table = facts(r)
    row = table[table["fact_id"] == "s3-concept"]
    if row.empty:
        return f"{r.region}'s file gives no definition of smart specialisation (fact s3-concept)."
    fact = row.iloc[0]
    return f"Smart specialisation: {fact['wording']} [{fact['source']}, '{fact['locator']}']."
