"""Observed series, gap and pace to a target, and rankings among regions.

How paces are computed (no value is ever interpolated):

- **latest gap**: target value minus the latest observed value.
- **required pace**: the gap divided by the years from the latest observation to the target year.
- **observed pace over the last n years**: the change between two observed endpoints divided by
  the years between them. The end is the latest observation; the start is the earliest
  observation in the window ``[end - n, end]``. When the year ``end - n`` is missing (a gap
  year), the window starts at the next observed year, and the pace covers fewer years (the
  start year is reported). With a single observation in the window there is no pace.
- **projection**: the latest value carried forward at the observed pace (a straight line).

Series are kept apart by area and age band: a figure for another area than the region, or for
another age band, is a series of its own and is never merged with the region's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..ingest import eurostat
from ..present.fmt import per_year, quantity
from ..store.flags import on_field
from ..store.load import available_regions, load_region
from ..store.models import Region

#: Units converted to one scale so that one area's figures form one series.
UNIT_SCALE: dict[str, tuple[str, float]] = {
    "kt CO2e": ("kt CO2e", 1.0),
    "Mt CO2e": ("kt CO2e", 1000.0),
}
#: The paces shown beside the required one: the last five and the last ten years.
WINDOWS = (5, 10)
#: Status of a target whose latest value is at or past it, or not yet.
MET = "met"
NOT_MET = "not met"

SERIES_COLUMNS = ["target_id", "series", "area", "age_band", "same_area", "year", "value",
                  "unit", "source", "locator", "note"]


# --- series --------------------------------------------------------------------------------


def _series_label(indicator: str, age_band: object, area: object) -> str:
    parts = [indicator]
    if isinstance(age_band, str) and age_band:
        parts.append(f"ages {age_band}")
    if isinstance(area, str) and area:
        parts.append(area)
    return ", ".join(parts)


def target_series(region: Region, values: pd.DataFrame) -> pd.DataFrame:
    """Every observed value of every target's indicator, one row each, labelled by series.

    ``values`` are the Eurostat series (``data.eurostat_values()``): a target naming an
    ``eurostat_indicator`` gets the region's values of it (by ``nuts_code``). The region's own
    ``observations`` follow, each series named by indicator, age band and area (the region's
    name where the figure is the region's own); ``same_area``
    is false for a figure of another area than the region. Units listed in
    :data:`UNIT_SCALE` are put on one scale (Mt as 1000 kt).
    """
    rows: list[dict[str, object]] = []
    for t in region.targets:
        if t.eurostat_indicator and region.nuts_code:
            mine = values[(values["indicator"] == t.eurostat_indicator)
                          & (values["region_code"] == region.nuts_code)]
            series = eurostat.SERIES.get(t.eurostat_indicator)
            name = f"{series.label if series else t.eurostat_indicator}, {region.nuts_code}"
            rows += [{"target_id": t.id, "series": name, "area": None, "age_band": None,
                      "same_area": True, "year": int(v.year), "value": float(v.value),
                      "unit": v.unit, "source": v.source, "locator": v.locator, "note": None}
                     for v in mine.itertuples()]
        for o in region.observations:
            if o.target != t.id:
                continue
            unit, scale = UNIT_SCALE.get(o.unit, (o.unit, 1.0))
            rows.append({"target_id": t.id,
                         "series": _series_label(o.indicator or t.indicator, o.age_band,
                                                 o.area or region.region),
                         "area": o.area, "age_band": o.age_band, "same_area": o.area is None,
                         "year": o.year, "value": round(o.value * scale, 9), "unit": unit,
                         "source": o.source, "locator": o.locator, "note": o.note})
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    return out.sort_values(["target_id", "series", "year"], kind="stable").reset_index(drop=True)


# --- the targets at a glance and the neutrality years ----------------------------------------

_NEUTRAL = re.compile(r"\b(?:carbon|climate)[\s-]neutral", re.IGNORECASE)


def neutrality_goals(policy_areas: pd.DataFrame) -> pd.DataFrame:
    """The city's policy-area goals about carbon or climate neutrality (with a target year)."""
    goal = policy_areas["goal"].fillna("")
    return policy_areas[goal.str.contains(_NEUTRAL)].reset_index(drop=True)


def targets_table(region: str, targets: pd.DataFrame, series: pd.DataFrame, city: str,
                  policy_areas: pd.DataFrame) -> pd.DataFrame:
    """The region's targets and the city's neutrality goal, each with its observed series.

    One row per target and series (years observed, latest value); a target without any
    observed series shows "missing".
    """
    rows = []
    for t in targets.itertuples():
        value = f"{t.target_value:g} {t.unit}" if pd.notna(t.target_value) else ""
        who = t.area if isinstance(getattr(t, "area", None), str) else region
        base = {"who": who, "priority": t.priority, "target": t.wording, "target_value": value,
                "target_year": t.target_year, "source": t.source}
        mine = series[series["target_id"] == t.target_id]
        if mine.empty:
            rows.append({**base, "observed_series": "missing", "years": "", "latest": "",
                         "observed_source": ""})
        for name, one in mine.groupby("series", sort=False):
            year, last = latest(one)
            years = sorted(one["year"])
            rows.append({**base, "observed_series": name,
                         "years": f"{years[0]}-{years[-1]}, {len(years)} values"
                         if len(years) > 1 else str(years[0]),
                         "latest": f"{last:g} {one['unit'].iloc[0]} ({year})",
                         "observed_source": ", ".join(dict.fromkeys(one["source"]))})
    for g in neutrality_goals(policy_areas).itertuples():
        rows.append({"who": city, "priority": g.policy_area, "target": g.goal, "target_value": "",
                     "target_year": g.target_year, "source": g.source,
                     "observed_series": "missing", "years": "", "latest": "",
                     "observed_source": ""})
    out = pd.DataFrame(rows, columns=["who", "priority", "target", "target_value", "target_year",
                                      "source", "observed_series", "years", "latest",
                                      "observed_source"])
    out["target_year"] = out["target_year"].astype("Int64")
    return out


def missing_observations(table: pd.DataFrame) -> int:
    """Number of targets in the table without any observed series."""
    return int((table["observed_series"] == "missing").sum())


def neutrality_text(table: pd.DataFrame, region: str, city: str) -> str:
    """Compare the region's climate-neutrality year with the city's own, from the targets table
    (a goal without a year counts as none)."""
    neutral = table[table["target"].str.contains(_NEUTRAL) & table["target_year"].notna()]
    reg = neutral[neutral["who"] == region]
    own = neutral[neutral["who"] == city]
    if reg.empty or own.empty:
        sides = (("the region", region, reg), ("the city", city, own))
        missing = [f"{role} {name}" for role, name, frame in sides if frame.empty]
        found = [f"{role} {name}, {int(frame['target_year'].iloc[0])}"
                 for role, name, frame in sides if not frame.empty]
        return ("No comparison of neutrality years: data/ holds no carbon- or "
                f"climate-neutrality target year for {' and '.join(missing)}"
                + (f" (only for {found[0]})." if found else "."))
    ry, cy = int(reg["target_year"].iloc[0]), int(own["target_year"].iloc[0])
    gap = abs(cy - ry)
    when = "the same year as" if gap == 0 else \
        f"{gap} year{'s' if gap != 1 else ''} {'earlier' if ry < cy else 'later'} than"
    return (f"{region} aims at a {reg['target'].iloc[0]} by {ry}; {city}'s own goal "
            f"({own['target'].iloc[0]}) is dated {cy}: the region's year is {when} the city's.")


NEUTRAL_FACT = re.compile(r"neutral.*year|year.*neutral", re.IGNORECASE)


def neutrality_years(region: str, targets: pd.DataFrame, facts: pd.DataFrame, city: str,
                     policy_areas: pd.DataFrame) -> pd.DataFrame:
    """Every climate- or carbon-neutrality year in data/, one row each, with who and source.

    The region's target, the region's facts about neutrality years (other programmes, other
    sources) and the city's own goals: conflicting years stay side by side.
    """
    rows = []
    neutral = targets[targets["wording"].str.contains(_NEUTRAL)
                      | targets["indicator"].str.contains(_NEUTRAL)]
    area = neutral["area"] if "area" in neutral else pd.Series(None, index=neutral.index)
    rows += [{"who": a if isinstance(a, str) else region, "year": int(t.target_year),
              "what": f"target: {t.wording}", "source": t.source, "locator": t.locator}
             for t, a in zip(neutral.itertuples(), area, strict=True)]
    years = facts[facts["label"].str.contains(NEUTRAL_FACT) & (facts["unit"] == "year")]
    rows += [{"who": city if f.label.startswith(f"{city}'s ") else region,
              "year": int(f.value), "what": f.label, "source": f.source, "locator": f.locator}
             for f in years.itertuples()]
    rows += [{"who": city, "year": int(g.target_year), "what": f"city goal: {g.goal}",
              "source": g.source, "locator": g.locator}
             for g in neutrality_goals(policy_areas).itertuples() if pd.notna(g.target_year)]
    return pd.DataFrame(rows, columns=["who", "year", "what", "source", "locator"])


# --- gap and pace --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """An average yearly change between two observed years (``None`` without two years)."""

    start_year: int | None
    end_year: int
    per_year: float | None


def _years_values(series: pd.DataFrame) -> list[tuple[int, float]]:
    clean = series.dropna(subset=["value"]).sort_values("year")
    if clean["year"].duplicated().any():
        raise ValueError("a series has two values for one year; split it by area or age band")
    return [(int(y), float(v)) for y, v in zip(clean["year"], clean["value"], strict=True)]


def latest(series: pd.DataFrame) -> tuple[int, float]:
    """The latest observed (year, value) of a series."""
    pairs = _years_values(series)
    if not pairs:
        raise ValueError("a series without any observed value has no latest value")
    return pairs[-1]


def observed_pace(series: pd.DataFrame, years: int) -> Pace:
    """Average yearly change over the last ``years`` years, between observed endpoints.

    The start is the earliest observation at or after ``latest year - years``; a missing year
    shortens the window instead of being filled in.
    """
    pairs = _years_values(series)
    end_year, end_value = pairs[-1]
    window = [(y, v) for y, v in pairs if y >= end_year - years]
    start_year, start_value = window[0]
    if start_year == end_year:
        return Pace(None, end_year, None)
    return Pace(start_year, end_year, (end_value - start_value) / (end_year - start_year))


def required_pace(latest_year: int, latest_value: float, target_value: float,
                  target_year: int) -> float | None:
    """Average yearly change needed from the latest observation to reach the target in time.

    ``0.0`` when the target is already met (a target to reach at least ``target_value``);
    ``None`` when the target year is not after the latest observation.
    """
    if latest_value >= target_value:
        return 0.0
    if target_year <= latest_year:
        return None
    return (target_value - latest_value) / (target_year - latest_year)


def projection(latest_year: int, latest_value: float, per_year: float, year: int) -> float:
    """The latest value carried forward to ``year`` at ``per_year`` (a straight line)."""
    return latest_value + per_year * (year - latest_year)


PROGRESS_COLUMNS = ["target_id", "series", "same_area", "unit", "latest_year", "latest_value",
                    "target_value", "target_year", "gap", "status", "required_per_year",
                    "pace_5_from", "pace_5_per_year", "pace_10_from", "pace_10_per_year",
                    "projected", "projected_from"]


def progress(series: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Gap and paces of every series of every target with a numeric value, one row a series.

    ``status``: ``met`` (latest value at or above the target), ``not met``, or ``no value``
    for a target without a numeric value (nothing is computed then). ``projected`` is the
    value in the target year at the ten-year pace (the five-year pace where ten years are not
    observed; ``projected_from`` names the start year used).
    """
    rows = []
    for t in targets.itertuples():
        for name, one in series[series["target_id"] == t.target_id].groupby("series",
                                                                              sort=False):
            year, value = latest(one)
            row: dict[str, object] = {c: None for c in PROGRESS_COLUMNS}
            row.update({"target_id": t.target_id, "series": name,
                        "same_area": bool(one["same_area"].all()), "unit": one["unit"].iloc[0],
                        "latest_year": year, "latest_value": value,
                        "target_year": t.target_year})
            if pd.isna(t.target_value):
                row["status"] = "no value"
                rows.append(row)
                continue
            target = float(t.target_value)
            row.update({"target_value": target, "gap": target - value,
                        "status": MET if value >= target else NOT_MET,
                        "required_per_year": required_pace(year, value, target, t.target_year)})
            for n in WINDOWS:
                pace = observed_pace(one, n)
                row[f"pace_{n}_from"], row[f"pace_{n}_per_year"] = pace.start_year, pace.per_year
            for n in sorted(WINDOWS, reverse=True):
                if row[f"pace_{n}_per_year"] is not None:
                    row["projected"] = projection(year, value, float(row[f"pace_{n}_per_year"]),
                                                  t.target_year)
                    row["projected_from"] = row[f"pace_{n}_from"]
                    break
            rows.append(row)
    out = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    for col in ("latest_year", "target_year", "pace_5_from", "pace_10_from", "projected_from"):
        out[col] = out[col].astype("Int64")
    for col in ("latest_value", "target_value", "gap", "required_per_year", "pace_5_per_year",
                "pace_10_per_year", "projected"):
        out[col] = out[col].astype(float)
    return out


def progress_sentence(row: pd.Series) -> str:
    """What one row of :func:`progress` means, in one sentence."""
    unit = str(row["unit"])
    where = "" if row["same_area"] else " (another area than the region)"
    if row["status"] == "no value":
        return (f"{row['series']}{where}: latest {quantity(row['latest_value'], unit)} in "
                f"{row['latest_year']}; the target has no numeric value, so no gap or pace is "
                "computed.")
    latest_text = f"{quantity(row['latest_value'], unit)} in {row['latest_year']}"
    target_text = f"the {quantity(row['target_value'], unit)} target for {row['target_year']}"
    if row["status"] == "met":
        return f"{row['series']}{where}: {latest_text}, already at or above {target_text}."
    needed = row["required_per_year"]
    need = (f"reaching it needs {per_year(needed, unit)} from {row['latest_year']}"
            if pd.notna(needed) else "the target year is not after the latest observation")
    if pd.isna(row["projected"]):
        return (f"{row['series']}{where}: {latest_text}, the only observation in ten years, so "
                f"no observed pace; against {target_text}, {need}.")
    n = int(row["latest_year"]) - int(row["projected_from"])
    pace = row["pace_10_per_year"] if row["projected_from"] == row["pace_10_from"] \
        else row["pace_5_per_year"]
    return (f"{row['series']}{where}: at the {row['projected_from']}-{row['latest_year']} pace "
            f"({per_year(pace, unit)} over {n} years) it would be "
            f"{quantity(row['projected'], unit)} in {row['target_year']}, against {target_text}; "
            f"{need}.")


def road_headlines(progress: pd.DataFrame, targets: pd.DataFrame, region: str,
                   limit: int = 2, flags: pd.DataFrame | None = None) -> list[str]:
    """Headline sentences: the region's own series against each numeric target (gap, pace
    needed against pace observed): per series and target owner the latest target year, the
    targets of another area (the EU) first, at most ``limit``. A target whose record a flag
    names (``flags``: field ``targets.<id>``) says so, with the flag's problem and id."""
    rows = progress[progress["same_area"] & (progress["status"] != "no value")]
    if rows.empty:
        return []
    owner = targets.set_index("target_id")["area"].to_dict() if "area" in targets else {}
    rows = rows.assign(owner=rows["target_id"].map(owner).fillna(""))
    rows = (rows.sort_values(["owner", "series", "target_year"], ascending=[False, True, False])
            .drop_duplicates(["series", "owner"]).head(limit))
    out = []
    for _, row in rows.iterrows():
        unit = str(row["unit"])
        area = owner.get(row["target_id"])
        whose = f"the {area}'s" if isinstance(area, str) else f"{region}'s"
        target = f"{whose} {quantity(row['target_value'], unit)} target for {row['target_year']}"
        gap = float(row["gap"])
        text = (f"{region}, {row['series'].rsplit(', ', 1)[0]}: "
                f"{quantity(row['latest_value'], unit)} in {row['latest_year']}, "
                f"{quantity(abs(gap), unit).rstrip('%')} points "
                f"{'above' if gap <= 0 else 'below'} {target}")
        pace = row["pace_10_per_year"] if pd.notna(row["pace_10_per_year"]) \
            else row["pace_5_per_year"]
        since = row["pace_10_from"] if pd.notna(row["pace_10_per_year"]) else row["pace_5_from"]
        if gap > 0 and pd.notna(row["required_per_year"]):
            text += f"; it needs {per_year(row['required_per_year'], unit)}"
            text += (f", against {per_year(pace, unit)} observed since {since}." if pd.notna(pace)
                     else "; no observed pace.")
        else:
            text += "."
        out.append(text + _flagged(row["target_id"], flags))
    return out


def _flagged(target_id: str, flags: pd.DataFrame | None) -> str:
    """' (Its record is flagged ...)' for a target a flag names, else ''."""
    if flags is None or flags.empty:
        return ""
    mine = on_field(flags, f"targets.{target_id}", below=False)
    if mine.empty:
        return ""
    said = "; ".join(f"{f.problem} ({f.flag_id})" for f in mine.itertuples())
    return f" The target's record is flagged: {said}."


# --- rankings among regions ---------------------------------------------------------------


def latest_common_year(values: pd.DataFrame, indicator: str, region_code: str,
                       min_share: float = 0.5) -> int | None:
    """The latest year in which the region has a value and at least ``min_share`` of the
    indicator's regions report one (``None`` if there is no such year)."""
    mine = values[values["indicator"] == indicator]
    if mine.empty:
        return None
    per_year = mine.groupby("year")["region_code"].nunique()
    own = set(mine.loc[mine["region_code"] == region_code, "year"])
    enough = per_year[per_year >= min_share * mine["region_code"].nunique()].index
    years = [int(y) for y in enough if y in own]
    return max(years) if years else None


def with_names(frame: pd.DataFrame, names: pd.DataFrame, code: str = "region_code"
               ) -> pd.DataFrame:
    """``frame`` with a ``name`` column from the NUTS list (empty where the list has none)."""
    lookup = dict(zip(names["code"], names["name"], strict=True))
    return frame.assign(name=frame[code].map(lookup))


def display_name(code: str, names: pd.DataFrame) -> str:
    """"Name (CODE)", or "CODE (name not in the NUTS list)" where the list has no name."""
    lookup = dict(zip(names["code"], names["name"], strict=True))
    name = lookup.get(code)
    return f"{name} ({code})" if name else f"{code} (name not in the NUTS list)"


def ranking(values: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """Regions with a value of ``indicator`` in ``year``, highest first, with their rank.

    Rank 1 is the highest value; equal values share the best rank ("min" method); ``of`` is the
    number of regions ranked.
    """
    mine = values[(values["indicator"] == indicator) & (values["year"] == year)]
    out = mine[["region_code", "value", "unit", "source"]].copy()
    out["rank"] = out["value"].rank(ascending=False, method="min").astype(int)
    out["of"] = len(out)
    return out.sort_values(["rank", "region_code"]).reset_index(drop=True)


def rank_of(table: pd.DataFrame, code: str) -> int | None:
    """The rank of one region in a :func:`ranking` table (``None`` if it has no value)."""
    row = table[table["region_code"] == code]
    return int(row["rank"].iloc[0]) if not row.empty else None


def missing_countries(values: pd.DataFrame, indicator: str, year: int) -> list[str]:
    """Country codes with a value of ``indicator`` in some year but none in ``year``."""
    mine = values[values["indicator"] == indicator]
    countries = set(mine["region_code"].str[:2])
    present = set(mine.loc[mine["year"] == year, "region_code"].str[:2])
    return sorted(countries - present)


def peer_lines(values: pd.DataFrame, indicator: str, codes: Sequence[str]) -> pd.DataFrame:
    """The values of ``indicator`` over time for the regions ``codes``, in that order."""
    mine = values[(values["indicator"] == indicator) & values["region_code"].isin(codes)]
    order = {c: i for i, c in enumerate(codes)}
    return mine.sort_values(["region_code", "year"], key=lambda c: c.map(order)
                            if c.name == "region_code" else c).reset_index(drop=True)


def ranks_table(values: pd.DataFrame, region_code: str, codes: Sequence[str],
                names: pd.DataFrame, min_share: float = 0.5) -> pd.DataFrame:
    """For each Eurostat series: the latest common year, regions ranked, and the ranks of the
    region and of ``codes`` in that year."""
    rows = []
    for indicator in eurostat.SERIES:
        year = latest_common_year(values, indicator, region_code, min_share)
        row: dict[str, object] = {"indicator": eurostat.label(indicator), "year": year}
        table = ranking(values, indicator, year) if year is not None else None
        row["regions_ranked"] = len(table) if table is not None else 0
        for code in (region_code, *codes):
            rank = rank_of(table, code) if table is not None else None
            row[display_name(code, names)] = "no value" if rank is None else str(rank)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    return out


def flags_for(flags: pd.DataFrame, target_id: str, other_area: bool = False) -> pd.DataFrame:
    """Flags on a target or on its observations; with ``other_area`` also those on the
    observations as a whole (series of another area than the region)."""
    fields = [f"targets.{target_id}", f"observations.{target_id}"]
    return on_field(flags, [*fields, "observations"] if other_area else fields, below=False)


def flags_for_indicators(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags on the observed series of ``data/indicators/``."""
    return on_field(flags, "indicators")


#: Top-level fields of a region file whose flags concern the targets and their series.
TARGET_FIELDS = ("targets", "observations", "indicators")


def flags_touching_targets(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags on the targets, their observations or the indicator series, in table order."""
    return on_field(flags, TARGET_FIELDS)


def touching_text(touching: pd.DataFrame, flags: pd.DataFrame, region: str) -> str:
    """The sentence counting the flags that touch the targets and their series."""
    return (f"{len(touching)} of {len(flags)} data-quality flags of {region} touch "
            "the targets and their series" + (":" if len(touching) else "."))


def climate_ids(targets: pd.DataFrame) -> pd.Series:
    """Ids of the targets without a numeric value (the climate-neutrality goals)."""
    return targets.loc[targets["target_value"].isna(), "target_id"]


def climate_flags(flags: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Flags on the climate targets or their observations (any area), each flag once."""
    ids = climate_ids(targets)
    if not len(ids):
        return flags.iloc[0:0]
    return pd.concat([flags_for(flags, t, other_area=True) for t in ids]
                     ).drop_duplicates("flag_id")


def neutrality_years_text(years: pd.DataFrame) -> str:
    """The sentence listing, per owner, the climate-neutrality years in data/."""
    by_who = ["{}: {}".format(who, ", ".join(str(y) for y in sorted(set(group["year"]))))
              for who, group in years.groupby("who", sort=False)]
    return "Neutrality years in data/: " + ("; ".join(by_who) if by_who else "none") + "."


def climate_flags_text(flags: pd.DataFrame) -> str:
    """The sentence counting the flags that touch the climate target."""
    return (f"{len(flags)} data-quality flags touch the climate target"
            + (":" if len(flags) else "."))


def shown_peers(peer_table: pd.DataFrame, peer_regions: Sequence[str],
                region_code: str | None, name_of: dict[str, str]) -> pd.DataFrame:
    """The peer regions compared with, and why: the region file's peers (with their sources)
    when they are the ones compared, else the given codes, said to be the other regions with a
    file in data/regions/ when the file names none and they are exactly those."""
    columns = ["code", "region", "reason", "source", "locator"]
    if list(peer_table["code"]) == list(peer_regions):
        return peer_table.assign(region=peer_table["code"].map(name_of))[columns]
    others = [load_region(n).nuts_code for n in available_regions()]
    default = peer_table.empty and list(peer_regions) == [
        c for c in others if c not in (None, region_code)]
    return pd.DataFrame({"code": list(peer_regions),
                         "region": [name_of[c] for c in peer_regions],
                         "reason": "another region with a file in data/regions/"
                         if default else "given as a parameter",
                         "source": "", "locator": ""})[columns]


def findings(region: str, targets: pd.DataFrame, series: pd.DataFrame,
             progress: pd.DataFrame, table: pd.DataFrame, region_code: str | None,
             label: str, year: int | None, flags: pd.DataFrame
             ) -> tuple[dict[str, object], list[str]]:
    """The key findings of notebook 05 and its headline sentences, for the report."""
    measured = progress[progress["status"] != "no value"]
    met = int((measured["status"] == MET).sum())
    rank = rank_of(table, region_code) if len(table) and region_code else None
    with_series = int(targets["target_id"].isin(series["target_id"]).sum())
    found: dict[str, object] = {
        "Region": region,
        "Targets (own and EU-wide)": len(targets),
        "Targets with an observed series": with_series,
        "Targets met so far": met,
        "Comparison series": label,
        "Comparison year": year,
        "Rank among Europe's regions": rank,
        "Regions ranked": len(table),
        "Data-quality flags": len(flags_touching_targets(flags)),
    }
    headlines = [
        *road_headlines(progress, targets, region, limit=2, flags=flags),
        *([f"On {label} ({year}) {region} ranks {rank} of {len(table)} European regions."]
          if rank is not None else []),
        f"{len(targets) - with_series} of {len(targets)} targets have no regional series "
        "in the data.",
    ]
    return found, headlines
