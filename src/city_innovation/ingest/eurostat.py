"""Eurostat regional series: what the notebooks use, and how ``data/indicators/`` is built.

The series come from an extract of Eurostat's regional R&D, R&D personnel, human resources in
science and technology and patent datasets (extracted on 2022-03-28), as published in processed
form by the repository nestauk/eurito_indicators. :func:`build` turns that extract (one CSV per
series, in ``research/eurostat/``) into the tidy, cited ``indicators/eurostat_regions.csv``:
NUTS 2 regions of the NUTS 2021 list only (older codes such as FR21 or NO01 and aggregates such
as EA19 are left out, so no territory is counted twice), the last :data:`YEARS` years of each
series, values as printed in the extract. ``city-innovation build-indicators`` runs it.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, NotFoundError

#: Years kept per series, counted back from the series' latest year in the extract
#: (ten years of change need eleven observed years; one more for a late gap).
YEARS = 12
#: Columns of ``indicators/eurostat_regions.csv``, in order.
COLUMNS = ["dataset", "indicator", "region_code", "nuts_version", "year", "value", "unit",
           "source", "locator"]


@dataclass(frozen=True)
class Series:
    """One series of the extract: its file, Eurostat dataset, our id, label and unit."""

    indicator: str
    dataset: str
    file: str
    label: str
    unit: str

    @property
    def source(self) -> str:
        """The id of the dataset in ``sources.yaml``."""
        return "eurostat-" + self.dataset.replace("_", "-")


#: The series the notebooks use, in the order they are shown.
SERIES: dict[str, Series] = {s.indicator: s for s in (
    Series("gerd_pc_gdp", "rd_e_gerdreg", "rd_e_gerdreg_total_pc_gdp",
           "R&D expenditure (GERD), all sectors", "% of GDP"),
    Series("berd_pc_gdp", "rd_e_gerdreg", "rd_e_gerdreg_bes_pc_gdp",
           "business R&D expenditure (BERD)", "% of GDP"),
    Series("rd_personnel_pc_emp", "rd_p_persreg", "rd_p_persreg_t_total_total_pc_emp_fte",
           "R&D personnel, all sectors", "% of total employment (FTE)"),
    Series("hrst_pc_active", "hrst_st_rcat", "hrst_st_rcat_hrst_pc_act",
           "human resources in science and technology", "% of the labour force"),
    Series("patents_per_mhab", "pat_ep_rtot", "pat_ep_rtot_p_mhab",
           "patent applications to the EPO", "per million inhabitants"),
)}


def label(indicator: str) -> str:
    """The readable name of a series, with its unit ("R&D expenditure ... (% of GDP)")."""
    s = SERIES.get(indicator)
    return f"{s.label} ({s.unit})" if s else indicator


def _nuts2_codes(names_csv: Path) -> set[str]:
    with names_csv.open(newline="", encoding="utf-8") as fh:
        return {row["code"] for row in csv.DictReader(fh) if row["level"] == "2"}


def build(research: str | os.PathLike[str], names_csv: str | os.PathLike[str]) -> pd.DataFrame:
    """The tidy table of every series in :data:`SERIES`, read from ``research/eurostat/``.

    ``names_csv`` is the NUTS code list (``indicators/nuts_regions.csv``): only its NUTS 2
    codes are kept. Empty values in the extract are dropped (a missing year stays missing).
    """
    folder = Path(research) / "eurostat"
    if not folder.is_dir():
        raise NotFoundError(f"research folder {Path(research)}: no eurostat/ folder (allowed: "
                            "the shared research folder holding the Eurostat extract)")
    keep = _nuts2_codes(Path(names_csv))
    frames = []
    for s in SERIES.values():
        path = folder / f"{s.file}.csv"
        if not path.is_file():
            raise NotFoundError(f"{path.name}: not found in {folder} (allowed: the extract's "
                                "files named in eurostat.SERIES)")
        raw = pd.read_csv(path, dtype={"region_id": str, "region_year_spec": str,
                                       s.file: str}, keep_default_na=False)
        if s.file not in raw.columns:
            raise DataError([f"{path.name}: column {s.file!r} missing"])
        raw = raw[(raw["region_level"] == 2) & raw["region_id"].isin(keep)
                  & (raw[s.file] != "")]
        raw = raw[raw["year"] > raw["year"].max() - YEARS]
        frames.append(pd.DataFrame({
            "dataset": s.dataset, "indicator": s.indicator, "region_code": raw["region_id"],
            "nuts_version": raw["region_year_spec"], "year": raw["year"].astype(int),
            "value": raw[s.file].astype(float), "unit": s.unit, "source": s.source,
            "locator": f"{s.file}.csv",
        }))
    out = pd.concat(frames, ignore_index=True)
    order = {k: i for i, k in enumerate(SERIES)}
    out = out.sort_values(["indicator", "region_code", "year"],
                          key=lambda c: c.map(order) if c.name == "indicator" else c)
    return out[COLUMNS].reset_index(drop=True)


def write(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the table as CSV (into a temporary file first, then moved into place)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".csv.tmp")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(target)
    return target
