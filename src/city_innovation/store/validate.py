"""Checking the whole data folder (or one file): every file, then what files say of each other.

Each file is loaded as the notebooks load it (``load``); across files, a profile's region must
have a file, a region's NUTS code, peers and Eurostat targets must be in ``indicators/``, and a
city may be listed by one region file only. ``city-innovation validate`` prints what this finds.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DataError
from ..paths import data_dir
from .load import (
    BENCHMARKS,
    EU_TARGETS,
    EUROSTAT,
    INDICATORS,
    NUTS_NAMES,
    PROFILE_VERSIONS,
    PROFILES,
    REGIONS,
    available_regions,
    eu_targets,
    eurostat_values,
    has_indicators,
    load_file,
    load_region,
    nuts_names,
    read_benchmarks,
    slug,
)
from .models import Profile, Region
from .read import display_name
from .sources import SOURCES, load_sources


def region_indicator_problems(region: Region, name: str, root: Path) -> list[str]:
    """A region's NUTS code, peers and Eurostat targets must exist in ``indicators/``."""
    if not has_indicators(root):
        wanted = region.nuts_code or region.peers or any(
            t.eurostat_indicator for t in region.targets)
        return [f"{name}: nuts_code: {INDICATORS}/ files missing (allowed: a data folder with "
                f"{EUROSTAT} and {NUTS_NAMES})"] if wanted else []
    try:
        codes = set(nuts_names(root)["code"])
        indicators = set(eurostat_values(root)["indicator"])
    except DataError:
        return []  # the files' own problems are reported for them
    problems = []
    if region.nuts_code and region.nuts_code not in codes:
        problems.append(f"{name}: nuts_code: {region.nuts_code!r} is not in {NUTS_NAMES}")
    problems += [f"{name}: peers.{i}.code: {p.code!r} is not in {NUTS_NAMES}"
                 for i, p in enumerate(region.peers) if p.code not in codes]
    for i, t in enumerate(region.targets):
        if t.eurostat_indicator and t.eurostat_indicator not in indicators:
            problems.append(f"{name}: targets.{i}.eurostat_indicator: {t.eurostat_indicator!r} "
                            f"is not in {EUROSTAT} (allowed: {', '.join(sorted(indicators))})")
        if t.eurostat_indicator and not region.nuts_code:
            problems.append(f"{name}: targets.{i}.eurostat_indicator: needs the region's "
                            "nuts_code")
    return problems


def validate(path: str | os.PathLike[str] | None = None) -> list[str]:
    """Check every data file (or one file, or another data folder); return the problems found.

    An empty list means everything is valid.
    """
    target = Path(path).resolve() if path else data_dir()
    if target.is_file():
        root = target.parent.parent if target.parent.name in (PROFILES, REGIONS, "survey",
                                                              INDICATORS) \
            else target.parents[2] if target.parent.parent.name == PROFILE_VERSIONS \
            else target.parent
        files = [target]
    elif target.is_dir():
        root = target
        files = [root / SOURCES, *sorted((root / PROFILES).glob("*.yaml")),
                 *sorted((root / PROFILE_VERSIONS).glob("*/*.yaml")),
                 *sorted((root / REGIONS).glob("*.yaml")), root / BENCHMARKS,
                 *[root / EU_TARGETS] * (root / EU_TARGETS).is_file(),
                 *[root / f for f in (NUTS_NAMES, EUROSTAT) if (root / f).is_file()]]
    else:
        return [f"{path}: file or folder not found"]
    problems: list[str] = []
    for file in files:
        try:
            if file.name == SOURCES:
                load_sources(root)
            elif PROFILE_VERSIONS in (file.parent.name, file.parent.parent.name) \
                    and file.suffix == ".yaml":
                load_file(Profile, file, root)  # an older page version
            elif file.parent.name == PROFILES and file.suffix == ".yaml":
                profile = load_file(Profile, file, root)
                regions = available_regions(root)
                if profile.region and slug(profile.region) not in map(slug, regions):
                    problems.append(f"{display_name(file, root)}: region: unknown region "
                                    f"{profile.region!r} (allowed: {', '.join(regions) or 'none'}"
                                    f" in {REGIONS}/)")
            elif file.parent.name == REGIONS and file.suffix == ".yaml":
                region = load_file(Region, file, root)
                problems += region_indicator_problems(region, display_name(file, root), root)
            elif file == root / EU_TARGETS:
                eu_targets(root)
            elif file == root / EUROSTAT:
                eurostat_values(root)
            elif file == root / NUTS_NAMES:
                nuts_names(root)
            elif file.suffix == ".csv":
                read_benchmarks(file, root)
            else:
                problems.append(f"{file.name}: not a known data file (allowed: {SOURCES}, "
                                f"{PROFILES}/*.yaml, {REGIONS}/*.yaml, {BENCHMARKS}, "
                                f"{EUROSTAT}, {NUTS_NAMES})")
        except DataError as exc:
            problems += exc.problems
    if target.is_dir() and (root / REGIONS).is_dir():
        problems += city_listing_problems(root)
    return problems


def city_listing_problems(root: str | os.PathLike[str] | None = None) -> list[str]:
    """A city may be listed by one region file only; one line per city listed twice."""
    base = data_dir(root)
    listed: dict[str, list[str]] = {}
    for path in sorted((base / REGIONS).glob("*.yaml")):
        try:
            region = load_region(path.stem, base)
        except Exception:  # noqa: BLE001 - the file's own problems are reported for it
            continue
        for city in region.cities:
            listed.setdefault(slug(city), []).append(f"{path.stem}.yaml")
    return [f"{REGIONS}/: cities: {city!r} is listed by {' and '.join(files)} (allowed: "
            "one region file per city)" for city, files in listed.items() if len(files) > 1]
