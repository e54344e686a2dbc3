"""Locating, reading and caching the data files, one file at a time.

A city or region is found by name, slug or (regions) NUTS code; each file is validated by its
model and its citations checked against the bibliography, and kept in a cache until the file (or
the bibliography) changes. CSV tables are validated row by row through the same models.
"""

from __future__ import annotations

import csv
import difflib
import functools
import os
import re
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError
from slugify import slugify

from ..errors import DataError, NotFoundError
from ..paths import ENV_VAR, data_dir
from .models import NUTS_CODE, Benchmark, EurostatValue, EuTargets, NutsName, Profile, Region
from .read import display_name, load_yaml, pydantic_problems, read_yaml, stamp, validate_model
from .sources import SOURCES, check_sources, load_sources

M = TypeVar("M", bound=BaseModel)

PROFILES = "profiles"
#: Older versions of the cities' profile pages (``versions.py``): ``<slug>/<version>.yaml``.
PROFILE_VERSIONS = "profile_versions"
REGIONS = "regions"
EU_TARGETS = "eu_targets.yaml"
BENCHMARKS = Path("survey") / "benchmarks.csv"
INDICATORS = "indicators"
EUROSTAT = Path(INDICATORS) / "eurostat_regions.csv"
NUTS_NAMES = Path(INDICATORS) / "nuts_regions.csv"


def slug(name: str) -> str:
    """File-safe slug of a city or region name ("Helsinki-Uusimaa" -> "helsinki-uusimaa")."""
    return slugify(name)


def _stamps(path: Path, root: Path) -> tuple[float, float]:
    """Cache key of a file checked against the bibliography: both files' modification times."""
    return stamp(path), stamp(root / SOURCES)


@functools.lru_cache(maxsize=64)
def _model_cached(model: type[M], path: Path, root: Path, _mtime: tuple[float, float]) -> M:
    name = display_name(path, root)
    obj = validate_model(model, read_yaml(path, root), name)
    check_sources(obj, load_sources(root), name)
    return obj


def load_file(model: type[M], path: Path, root: str | os.PathLike[str] | None = None) -> M:
    """One YAML file validated as ``model``, its citations checked (cached until it changes)."""
    base = data_dir(root)
    return _model_cached(model, path, base, _stamps(path, base))


def _names(folder: Path, key: str) -> dict[str, str]:
    """Map slug -> display name for the YAML files of a folder (name read from ``key``).

    Every lookup of a city or region by name needs this; the files are read again only when
    one is added, removed or changed.
    """
    return {stem: value or stem for stem, value in _fields(folder, key).items()}


def _fields(folder: Path, key: str) -> dict[str, str | None]:
    """Map slug -> the top-level field ``key`` of each YAML file of a folder (None where a file
    lacks it or does not read); cached until a file is added, removed or changed."""
    files = tuple((path, stamp(path)) for path in sorted(folder.glob("*.yaml")))
    return dict(_fields_cached(files, key))


@functools.lru_cache(maxsize=16)
def _fields_cached(files: tuple[tuple[Path, float], ...],
                   key: str) -> tuple[tuple[str, str | None], ...]:
    out: list[tuple[str, str | None]] = []
    for path, _mtime in files:
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
            value = raw.get(key) if isinstance(raw, dict) else None
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            value = None
        out.append((path.stem, str(value) if value else None))
    return tuple(out)


def available_cities(root: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the cities that have a profile in ``data/profiles/``."""
    return list(_names(data_dir(root) / PROFILES, "city").values())


def available_regions(root: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the regions that have a strategy file in ``data/regions/``."""
    return list(_names(data_dir(root) / REGIONS, "region").values())


def _find(folder: Path, key: str, name: str, what: str) -> Path:
    if not folder.is_dir():
        raise NotFoundError(f"{what} {name!r}: the data folder {folder.parent} has no "
                            f"{folder.name}/ folder (set ${ENV_VAR} to a data folder, or unset it)")
    names = _names(folder, key)
    wanted = slug(name)
    for stem, display in names.items():
        if wanted in (stem, slug(display)):
            return folder / f"{stem}.yaml"
    # "Denver" for "Denver, CO": the name before a comma, where only one file has it
    short = [stem for stem, display in names.items() if slug(display.split(",")[0]) == wanted]
    if len(short) == 1:
        return folder / f"{short[0]}.yaml"
    allowed = "; ".join(names.values()) or "none"
    raise NotFoundError(f"{what} {name!r} not found in {folder.name}/ (available: {allowed})")


def profile_path(city: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Path of a city's profile file; the error lists the cities available."""
    return _find(data_dir(root) / PROFILES, "city", city, "city")


def region_file_for_code(code: str, root: str | os.PathLike[str] | None = None) -> Path | None:
    """The region file whose nuts_code is ``code``, if there is one (only the code is read: a
    file still being filled in need not validate yet)."""
    folder = data_dir(root) / REGIONS
    for stem, nuts_code in _fields(folder, "nuts_code").items():
        if nuts_code is not None and nuts_code.upper() == code:
            return folder / f"{stem}.yaml"
    return None


def nearest_codes(code: str, root: str | os.PathLike[str] | None = None, n: int = 4) -> str:
    """The known NUTS 2 codes nearest to ``code`` (same country first), with their names."""
    names = nuts_names(root).set_index("code")["name"]
    same = [c for c in names.index if c[:2] == code[:2]]
    near = difflib.get_close_matches(code, same, n=n, cutoff=0) if same else \
        difflib.get_close_matches(code, list(names.index), n=n, cutoff=0)
    return ", ".join(f"{c} {names[c]}" for c in near)


def region_path(region: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Path of a region's strategy file, by name or NUTS code; the error lists the regions
    available (and, for a code without a file, the nearest known codes)."""
    code = str(region).strip().upper()
    if re.fullmatch(NUTS_CODE, code) and (data_dir(root) / REGIONS).is_dir():
        found = region_file_for_code(code, root)
        if found is not None:
            return found
        try:
            return _find(data_dir(root) / REGIONS, "region", region, "region")
        except NotFoundError as exc:
            if has_indicators(root):
                raise NotFoundError(f"{exc} - as a NUTS code, nearest known: "
                                    f"{nearest_codes(code, root)}; `city-innovation new-region "
                                    f"{code}` writes a file for a known code") from None
            raise
    return _find(data_dir(root) / REGIONS, "region", region, "region")


def load_profile(city: str, root: str | os.PathLike[str] | None = None) -> Profile:
    """Load and validate a city profile by name or slug (cached until the file changes)."""
    base = data_dir(root)
    return load_file(Profile, profile_path(city, base), base)


def load_region(region: str, root: str | os.PathLike[str] | None = None) -> Region:
    """Load and validate a region's strategy file by name or slug."""
    base = data_dir(root)
    return load_file(Region, region_path(region, base), base)


def paired_region(city: str, root: str | os.PathLike[str] | None = None) -> str | None:
    """The region the data pair a city with: the one its profile names, else a region whose
    file lists the city; None where the data say nothing (never a default region)."""
    base = data_dir(root)
    named = load_profile(city, base)
    if named.region:
        return named.region
    for region in available_regions(base):
        if any(slug(c) == slug(named.city) for c in load_region(region, base).cities):
            return region
    return None


@functools.lru_cache(maxsize=8)
def _benchmarks_cached(path: Path, root: Path, _mtime: tuple[float, float]) -> pd.DataFrame:
    frame = _csv_rows(Benchmark, path, root, unique=("id",), what="benchmark id",
                      check_header=False)
    frame["base_n"] = frame["base_n"].astype("Int64")
    return frame


def read_benchmarks(path: Path, root: Path) -> pd.DataFrame:
    """A survey-figures CSV file (``survey/*.csv``) validated row by row (cached, not copied)."""
    return _benchmarks_cached(path, root, _stamps(path, root))


def benchmarks(root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Survey-wide figures, one row each, validated (a copy: callers may modify it)."""
    base = data_dir(root)
    path = base / BENCHMARKS
    return read_benchmarks(path, base).copy()


def _csv_rows(model: type[BaseModel], path: Path, root: Path, *, unique: tuple[str, ...],
              what: str, check_header: bool = True) -> pd.DataFrame:
    """Rows of a cited CSV file, each validated by ``model`` and unique by ``unique``.

    Every problem names the file and line: unknown fields or values, unknown source ids,
    duplicates; a missing column is one problem for the whole file.
    """
    name = display_name(path, root)
    if not path.is_file():
        raise DataError([f"{name}: file not found"])
    known = load_sources(root)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[tuple[Any, ...]] = set()
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in model.model_fields if c not in (reader.fieldnames or [])]
            if check_header and missing:
                raise DataError([f"{name}: columns {missing} missing (allowed columns: "
                                 f"{', '.join(model.model_fields)})"])
            for line, raw in enumerate(reader, start=2):
                clean = {k: (v if v != "" else None) for k, v in raw.items() if k is not None}
                where = f"{name}: line {line}"
                try:
                    row = model.model_validate(clean)
                except ValidationError as exc:
                    problems += pydantic_problems(where, exc)
                    continue
                source = getattr(row, "source", None)
                if source not in known:
                    problems.append(f"{where}: source: unknown source id {source!r} "
                                    f"(allowed: ids in {SOURCES})")
                key = tuple(getattr(row, k) for k in unique)
                if key in seen:
                    shown = key[0] if len(key) == 1 else key
                    problems.append(f"{where}: {', '.join(unique)}: duplicate {what} {shown!r}")
                seen.add(key)
                rows.append(row.model_dump())
    except UnicodeDecodeError:
        raise DataError([f"{name}: not UTF-8 text"]) from None
    except csv.Error as exc:
        raise DataError([f"{name}: not a readable CSV file ({exc})"]) from None
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=list(model.model_fields))


@functools.lru_cache(maxsize=8)
def _eurostat_cached(path: Path, root: Path, _mtime: tuple[float, float]) -> pd.DataFrame:
    return _csv_rows(EurostatValue, path, root, unique=("indicator", "region_code", "year"),
                     what="value of")


@functools.lru_cache(maxsize=8)
def _nuts_cached(path: Path, root: Path, _mtime: tuple[float, float]) -> pd.DataFrame:
    return _csv_rows(NutsName, path, root, unique=("code",), what="NUTS code")


def eurostat_values(root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Eurostat regional series (``indicators/eurostat_regions.csv``), one value a row."""
    base = data_dir(root)
    path = base / EUROSTAT
    return _eurostat_cached(path, base, _stamps(path, base)).copy()


def nuts_names(root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """NUTS codes and names (``indicators/nuts_regions.csv``), one region a row."""
    base = data_dir(root)
    path = base / NUTS_NAMES
    return _nuts_cached(path, base, _stamps(path, base)).copy()


def has_indicators(root: str | os.PathLike[str] | None = None) -> bool:
    """Whether the data folder holds the observed series (``indicators/``)."""
    base = data_dir(root)
    return (base / EUROSTAT).is_file() and (base / NUTS_NAMES).is_file()


def eu_targets(root: str | os.PathLike[str] | None = None) -> EuTargets:
    """The EU-wide targets (data/eu_targets.yaml), validated."""
    base = data_dir(root)
    return load_file(EuTargets, base / EU_TARGETS, base)
