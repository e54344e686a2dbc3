"""`city-innovation new-region NUTS`: a region file ready to fill, never a blank YAML.

The name comes from the cited NUTS names in ``data/indicators/``, the country from the code's
first two letters, and the file lists (as comments) the Eurostat series the extract holds for the
region. Every field a region needs is written as an empty entry, so that ``validate`` names each
one still to fill.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import data, files
from ..errors import ParameterError
from ..store.load import nearest_codes, region_file_for_code
from .eurostat import SERIES

#: Country names of the NUTS country codes (NUTS writes Greece EL).
COUNTRIES: dict[str, str] = {
    "AL": "Albania", "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CH": "Switzerland",
    "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "EE": "Estonia",
    "EL": "Greece", "ES": "Spain", "FI": "Finland", "FR": "France", "HR": "Croatia",
    "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy", "LI": "Liechtenstein",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "ME": "Montenegro",
    "MK": "North Macedonia", "MT": "Malta", "NL": "The Netherlands", "NO": "Norway",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "RS": "Serbia", "SE": "Sweden",
    "SI": "Slovenia", "SK": "Slovakia", "TR": "Türkiye", "UK": "United Kingdom",
}


def check_code(code: str, root: str | os.PathLike[str] | None = None) -> str:
    """The code in capitals if data/indicators/ names it; else one line with the nearest codes."""
    wanted = code.strip().upper()
    if wanted not in set(data.nuts_names(root)["code"]):
        raise ParameterError(f"NUTS code {code!r}: not a NUTS 2 region of "
                             f"{data.NUTS_NAMES} (nearest: {nearest_codes(wanted, root)})")
    return wanted


def series_lines(code: str, root: str | os.PathLike[str] | None = None) -> list[str]:
    """One comment line per Eurostat series the extract holds for the region."""
    values = data.eurostat_values(root)
    mine = values[values["region_code"] == code]
    lines = []
    for indicator, g in mine.groupby("indicator", sort=True):
        years = sorted(g["year"])
        label = SERIES[indicator].label if indicator in SERIES else indicator
        lines.append(f"#   {indicator}: {label}, {years[0]}-{years[-1]} ({len(years)} values)")
    return lines or ["#   none"]


def template(code: str, root: str | os.PathLike[str] | None = None) -> str:
    """The text of a new region file for ``code`` (known, without a file yet)."""
    name = str(data.nuts_names(root).set_index("code").loc[code, "name"])
    country = COUNTRIES.get(code[:2], "")
    return "\n".join([
        f"# {name} ({code}): written by `city-innovation new-region {code}`, ready to fill.",
        "# Fill every empty entry with facts from cited sources (an id of data/sources.yaml and",
        "# a locator each; labels only, never copied descriptions), then run",
        "# `city-innovation validate`: it names each field still empty, one line each.",
        f"# Eurostat series data/indicators/ holds for {code} (the notebooks read them; do not",
        "# copy them here):",
        *series_lines(code, root),
        f"region: {name}",
        f"country: {country}" if country else "country: ''   # the country's name",
        f"nuts_code: {code}",
        "cities: []   # the region's main city, e.g. [Vienna]: pairs it with a profile",
        "periods:     # one or more strategy periods, in order of their start year",
        "  - id: ''          # start-end, e.g. 2021-2027",
        "    start: null     # first year",
        "    end: null       # last year",
        "    name: ''        # the strategy's name",
        "    source: ''      # the source id of the list of priorities",
        "    locator: ''     # where in that source",
        "    themes:         # one entry per priority; sub-priorities under their priority",
        "      - {id: '', name: '', sub_priorities: []}",
        "national: []   # a national strategy standing in for a period the region has none of",
        "targets: []    # the region's own targets (EU-wide targets apply by themselves)",
        "flags: []      # what the sources lack or get wrong, and what was decided",
        "",
    ])


def new_region(code: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Write ``regions/<name>.yaml`` for a NUTS 2 code; refuse an unknown code or one that has a
    file already (one line each), writing nothing then."""
    base = data.data_dir(root)
    wanted = check_code(code, base)
    have = region_file_for_code(wanted, base)
    if have is not None:
        raise ParameterError(f"NUTS code {wanted}: {data.REGIONS}/{have.name} already is its "
                             "region file (allowed: a NUTS 2 code without a file; edit that "
                             "file instead)")
    text = template(wanted, base)
    name = str(data.nuts_names(base).set_index("code").loc[wanted, "name"])
    path = base / data.REGIONS / f"{data.slug(name)}.yaml"
    if path.exists():
        raise ParameterError(f"NUTS code {wanted}: {data.REGIONS}/{path.name} exists for another "
                             "region (allowed: rename that file first)")
    files.write_text(path, text)
    return path
