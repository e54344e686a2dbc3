"""Locate, load and validate the data files, and turn models into tidy DataFrames.

Loading is strict: every problem is reported as ``file: field: what is wrong (allowed: ...)``
in one :class:`~city_innovation.errors.DataError`. Tidy tables have one row per fact,
snake_case columns, and keep ``source`` and ``locator`` so every figure traces to its document.
"""

from __future__ import annotations

import csv
import functools
import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError
from slugify import slugify

from .errors import DataError, NotFoundError, ParameterError
from .paths import ENV_VAR, data_dir
from .store.models import (
    Benchmark,
    Cited,
    EurostatValue,
    EuTargets,
    Flag,
    NutsName,
    Period,
    Profile,
    Region,
    Source,
)

M = TypeVar("M", bound=BaseModel)

PROFILES = "profiles"
#: Older versions of the cities' profile pages (``versions.py``): ``<slug>/<version>.yaml``.
PROFILE_VERSIONS = "profile_versions"
REGIONS = "regions"
SOURCES = "sources.yaml"
EU_TARGETS = "eu_targets.yaml"
BENCHMARKS = Path("survey") / "benchmarks.csv"
INDICATORS = "indicators"
EUROSTAT = Path(INDICATORS) / "eurostat_regions.csv"
NUTS_NAMES = Path(INDICATORS) / "nuts_regions.csv"


def slug(name: str) -> str:
    """File-safe slug of a city or region name ("Helsinki-Uusimaa" -> "helsinki-uusimaa")."""
    return slugify(name)


# --- reading and validating -----------------------------------------------------------------


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return path.name


#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else PyYAML's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_SafeLoader)  # a safe loader: plain data only


def _read_yaml(path: Path, root: Path) -> Any:
    name = _display(path, root)
    if not path.is_file():
        raise DataError([f"{name}: file not found"])
    try:
        return _load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DataError([f"{name}: not UTF-8 text"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError([f"{name}: {where}invalid YAML: {problem}"]) from None


def _pydantic_problems(name: str, exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err.get("input", 0) in ("", None) and err["type"] != "missing":
            msg = f"empty, to fill in ({msg})"
        problems.append(f"{name}: {field}: {msg}" if field else f"{name}: {msg}")
    return problems


def _validate(model: type[M], raw: Any, name: str) -> M:
    if not isinstance(raw, dict):
        raise DataError([f"{name}: expected a mapping of fields at the top level"])
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(_pydantic_problems(name, exc)) from None


def _cited(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, source id) of every cited record inside a model."""
    if isinstance(obj, Cited):
        yield path or "(top level)", obj.source
    if isinstance(obj, BaseModel):
        for key in type(obj).model_fields:
            yield from _cited(getattr(obj, key), f"{path}.{key}" if path else key)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _cited(item, f"{path}.{i}")


def _check_sources(model: BaseModel, known: dict[str, Source], name: str) -> None:
    problems = [
        f"{name}: {field}.source: unknown source id {sid!r} (allowed: ids in {SOURCES})"
        for field, sid in _cited(model)
        if sid not in known
    ]
    if problems:
        raise DataError(problems)


def _stamp(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else -1.0


@functools.lru_cache(maxsize=32)
def _sources_cached(root: Path, _mtime: float) -> dict[str, Source]:
    path = root / SOURCES
    name = _display(path, root)
    raw = _read_yaml(path, root)
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise DataError([f"{name}: sources: expected a list under the key 'sources'"])
    out: dict[str, Source] = {}
    problems: list[str] = []
    for i, item in enumerate(raw["sources"]):
        try:
            src = _validate(Source, item, f"{name}: sources.{i}")
        except DataError as exc:
            problems += [p.replace(f"{name}: sources.{i}: ", f"{name}: sources.{i}.") for p in
                         exc.problems]
            continue
        if src.id in out:
            problems.append(f"{name}: sources.{i}.id: duplicate source id {src.id!r}")
        out[src.id] = src
    if problems:
        raise DataError(problems)
    return out


def load_sources(root: str | os.PathLike[str] | None = None) -> dict[str, Source]:
    """The bibliography, keyed by source id."""
    base = data_dir(root)
    return _sources_cached(base, _stamp(base / SOURCES))


def _stamps(path: Path, root: Path) -> tuple[float, float]:
    """Cache key of a file checked against the bibliography: both files' modification times."""
    return _stamp(path), _stamp(root / SOURCES)


@functools.lru_cache(maxsize=64)
def _model_cached(model: type[M], path: Path, root: Path, _mtime: tuple[float, float]) -> M:
    name = _display(path, root)
    obj = _validate(model, _read_yaml(path, root), name)
    _check_sources(obj, load_sources(root), name)
    return obj


def _names(folder: Path, key: str) -> dict[str, str]:
    """Map slug -> display name for the YAML files of a folder (name read from ``key``).

    Every lookup of a city or region by name needs this; the files are read again only when
    one is added, removed or changed.
    """
    files = tuple((path, _stamp(path)) for path in sorted(folder.glob("*.yaml")))
    return dict(_names_cached(files, key))


@functools.lru_cache(maxsize=16)
def _names_cached(files: tuple[tuple[Path, float], ...], key: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for path, _mtime in files:
        try:
            raw = _load_yaml(path.read_text(encoding="utf-8"))
            name = raw.get(key) if isinstance(raw, dict) else None
        except (yaml.YAMLError, UnicodeDecodeError):
            name = None
        out.append((path.stem, str(name) if name else path.stem))
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


def region_path(region: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Path of a region's strategy file, by name or NUTS code; the error lists the regions
    available (and, for a code without a file, the nearest known codes)."""
    from .store.models import NUTS_CODE

    code = str(region).strip().upper()
    if re.fullmatch(NUTS_CODE, code) and (data_dir(root) / REGIONS).is_dir():
        from .ingest.new_region import existing_file, nearest_codes

        found = existing_file(code, root)
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
    path = profile_path(city, base)
    return _model_cached(Profile, path, base, _stamps(path, base))


def load_region(region: str, root: str | os.PathLike[str] | None = None) -> Region:
    """Load and validate a region's strategy file by name or slug."""
    base = data_dir(root)
    path = region_path(region, base)
    return _model_cached(Region, path, base, _stamps(path, base))


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


def benchmarks(root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Survey-wide figures, one row each, validated (a copy: callers may modify it)."""
    base = data_dir(root)
    path = base / BENCHMARKS
    return _benchmarks_cached(path, base, _stamps(path, base)).copy()


def _csv_rows(model: type[BaseModel], path: Path, root: Path, *, unique: tuple[str, ...],
              what: str, check_header: bool = True) -> pd.DataFrame:
    """Rows of a cited CSV file, each validated by ``model`` and unique by ``unique``.

    Every problem names the file and line: unknown fields or values, unknown source ids,
    duplicates; a missing column is one problem for the whole file.
    """
    name = _display(path, root)
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
                    problems += _pydantic_problems(where, exc)
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


def _region_indicator_problems(region: Region, name: str, root: Path) -> list[str]:
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
                _sources_cached(root, _stamp(file))
            elif PROFILE_VERSIONS in (file.parent.name, file.parent.parent.name) \
                    and file.suffix == ".yaml":
                _model_cached(Profile, file, root, _stamps(file, root))  # an older page version
            elif file.parent.name == PROFILES and file.suffix == ".yaml":
                profile = _model_cached(Profile, file, root, _stamps(file, root))
                regions = available_regions(root)
                if profile.region and slug(profile.region) not in map(slug, regions):
                    problems.append(f"{_display(file, root)}: region: unknown region "
                                    f"{profile.region!r} (allowed: {', '.join(regions) or 'none'}"
                                    f" in {REGIONS}/)")
            elif file.parent.name == REGIONS and file.suffix == ".yaml":
                region = _model_cached(Region, file, root, _stamps(file, root))
                problems += _region_indicator_problems(region, _display(file, root), root)
            elif file == root / EU_TARGETS:
                _model_cached(EuTargets, file, root, _stamps(file, root))
            elif file == root / EUROSTAT:
                eurostat_values(root)
            elif file == root / NUTS_NAMES:
                nuts_names(root)
            elif file.suffix == ".csv":
                _benchmarks_cached(file, root, _stamps(file, root))
            else:
                problems.append(f"{file.name}: not a known data file (allowed: {SOURCES}, "
                                f"{PROFILES}/*.yaml, {REGIONS}/*.yaml, {BENCHMARKS}, "
                                f"{EUROSTAT}, {NUTS_NAMES})")
        except DataError as exc:
            problems += exc.problems
    if target.is_dir() and (root / REGIONS).is_dir():
        from .analysis.regions import city_listing_problems

        problems += city_listing_problems(root)
    return problems


# --- tidy tables: city profile --------------------------------------------------------------


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _cite(rec: Cited) -> dict[str, Any]:
    return {"source": rec.source, "locator": rec.locator}


def roles(p: Profile) -> pd.DataFrame:
    """One row per listed innovation role, with the stated count of roles beside it."""
    cols = ["city", "role", "position", "stated_count", "listed_count", "source", "locator"]
    if p.roles is None:
        return _frame([], cols)
    r = p.roles
    return _frame([{"city": p.city, "role": name, "position": i, "stated_count": r.stated_count,
                    "listed_count": len(r.listed), **_cite(r)}
                   for i, name in enumerate(r.listed, 1)], cols)


def policy_areas(p: Profile) -> pd.DataFrame:
    """One row per goal (or one per area without goals) of the city's policy areas of focus."""
    cols = ["city", "policy_area", "goal", "target_year", "means", "source", "locator"]
    rows = []
    for a in p.policy_areas:
        goals = a.goals or [None]
        for g in goals:
            rows.append({"city": p.city, "policy_area": a.name,
                         "goal": g.label if g else None,
                         "target_year": g.target_year if g else None,
                         "means": "; ".join(a.means), **_cite(a)})
    out = _frame(rows, cols)
    out["target_year"] = out["target_year"].astype("Int64")
    return out


def activities(p: Profile) -> pd.DataFrame:
    """The seven numbered survey options, marked where the city lists the activity itself."""
    cols = ["city", "rank", "option", "city_activity", "examples", "source", "locator"]
    if p.activities is None:
        return _frame([], cols)
    a = p.activities
    own = {act.survey_option: act for act in a.common}
    rows = [{"city": p.city, "rank": o.rank, "option": o.label,
             "city_activity": own[o.label].name if o.label in own else None,
             "examples": "; ".join(own[o.label].examples) if o.label in own else None,
             **_cite(a)} for o in a.ranking]
    return _frame(rows, cols)


def strategy(p: Profile) -> pd.DataFrame:
    """The city's strategy answers with the survey-wide share quoted beside each."""
    cols = ["city", "question", "answer", "survey_value", "survey_wording", "survey_round",
            "source", "locator"]
    return _frame([{"city": p.city, "question": s.question, "answer": s.answer,
                    "survey_value": s.survey_share.value if s.survey_share else None,
                    "survey_wording": s.survey_share.wording if s.survey_share else None,
                    "survey_round": s.survey_share.survey_round if s.survey_share else None,
                    **_cite(s)} for s in p.strategy], cols)


def teams(p: Profile) -> pd.DataFrame:
    """One row per innovation team with its staff."""
    cols = ["city", "team", "location", "staff", "source", "locator"]
    if p.teams is None:
        return _frame([], cols)
    return _frame([{"city": p.city, "team": t.name, "location": t.location, "staff": t.staff,
                    **_cite(p.teams)} for t in p.teams.teams], cols)


def funding_sources(p: Profile) -> pd.DataFrame:
    """The city's top funding sources, each with its level and definition."""
    cols = ["city", "funding_source", "level", "definition", "examples", "source", "locator"]
    if p.funding_sources is None:
        return _frame([], cols)
    fs = p.funding_sources
    return _frame([{"city": p.city, "funding_source": s.name, "level": s.level,
                    "definition": s.definition, "examples": "; ".join(s.examples), **_cite(fs)}
                   for s in fs.sources], cols)


def funded_activities(p: Profile) -> pd.DataFrame:
    """Survey counts of cities funding each activity, as printed, with alignment and city flags."""
    cols = ["position", "activity", "cities", "aligned", "city_funds", "source", "locator"]
    if p.funded_activities is None:
        return _frame([], cols)
    fa = p.funded_activities
    out = _frame([{"position": c.position, "activity": c.activity, "cities": c.cities,
                   "aligned": c.aligned, "city_funds": c.activity in fa.city_funds, **_cite(fa)}
                  for c in fa.survey_counts], cols)
    out["cities"] = out["cities"].astype("Int64")
    return out


def funding_uses(p: Profile) -> pd.DataFrame:
    """What the city's innovation funding is used for; quoted survey shares where given."""
    cols = ["city", "use", "survey_value", "survey_wording", "survey_round", "source", "locator"]
    if p.funding_use is None:
        return _frame([], cols)
    fu = p.funding_use
    rows = [{"city": p.city, "use": u, "survey_value": None, "survey_wording": None,
             "survey_round": None, **_cite(fu)} for u in fu.uses]
    rows += [{"city": p.city, "use": q.use, "survey_value": q.survey_share.value,
              "survey_wording": q.survey_share.wording,
              "survey_round": q.survey_share.survey_round, **_cite(fu)} for q in fu.quoted]
    return _frame(rows, cols)


def partnerships(p: Profile) -> pd.DataFrame:
    """Partners for innovation and for data, one row each."""
    cols = ["city", "kind", "partner", "examples", "source", "locator"]
    if p.partnerships is None:
        return _frame([], cols)
    ps = p.partnerships
    rows = [{"city": p.city, "kind": kind, "partner": x.name, "examples": "; ".join(x.examples),
             **_cite(ps)}
            for kind, items in (("innovation", ps.partners), ("data", ps.data_partners))
            for x in items]
    return _frame(rows, cols)


def data_availability(p: Profile) -> pd.DataFrame:
    """Data availability status of each policy area listed in the profile."""
    cols = ["city", "policy_area", "status", "source", "locator"]
    if p.data_availability is None:
        return _frame([], cols)
    da = p.data_availability
    return _frame([{"city": p.city, "policy_area": a.area, "status": a.status, **_cite(da)}
                   for a in da.areas], cols)


# --- tidy tables: region ----------------------------------------------------------------------


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
    out = _frame(rows, cols)
    out["period"] = pd.Categorical(out["period"], categories=[p.id for p in periods_],
                                   ordered=True)
    return out


def periods(r: Region) -> pd.DataFrame:
    """One row per strategy period: years, approval and number of themes."""
    cols = ["region", "period", "start", "end", "name", "theme_word", "scope", "approved_year",
            "approved_by", "n_themes", "source", "locator"]
    return _frame([{"region": r.region, "period": p.id, "start": p.start, "end": p.end,
                    "name": p.name, "theme_word": p.theme_word, "scope": p.scope,
                    "approved_year": p.approved.year if p.approved else None,
                    "approved_by": p.approved.by if p.approved else None,
                    "n_themes": len(p.themes), **_cite(p)} for p in strategy_periods(r)], cols)


def lineage(r: Region) -> pd.DataFrame:
    """Documented links between themes of consecutive periods."""
    cols = ["from_id", "to_id", "from_theme", "to_theme", "from_period", "to_period",
            "relation", "basis", "note", "source", "locator"]
    name = {t.id: (t.name, p.id) for p in r.periods for t in p.themes}
    return _frame([{"from_id": e.from_theme, "to_id": e.to_theme,
                    "from_theme": name[e.from_theme][0], "to_theme": name[e.to_theme][0],
                    "from_period": name[e.from_theme][1], "to_period": name[e.to_theme][1],
                    "relation": e.relation, "basis": e.basis, "note": e.note, **_cite(e)}
                   for e in r.lineage], cols)


def instruments(r: Region) -> pd.DataFrame:
    """One row per (theme, instrument) use, with the instrument's level and kind."""
    cols = ["theme_id", "theme", "period", "instrument_id", "instrument", "level", "kind",
            "note", "source", "locator"]
    theme = {t.id: (t.name, p.id) for p in r.periods for t in p.themes}
    inst = {i.id: i for i in r.instruments}
    return _frame([{"theme_id": u.theme, "theme": theme[u.theme][0], "period": theme[u.theme][1],
                    "instrument_id": u.instrument, "instrument": inst[u.instrument].name,
                    "level": inst[u.instrument].level, "kind": inst[u.instrument].kind,
                    "note": u.note, **_cite(u)} for u in r.instrument_uses], cols)


def targets(r: Region) -> pd.DataFrame:
    """The region's targets with their values and years."""
    cols = ["target_id", "priority", "indicator", "target_value", "unit", "target_year",
            "wording", "eurostat_indicator", "area", "direction", "source", "locator"]
    return _frame([{"target_id": t.id, "priority": t.priority, "indicator": t.indicator,
                    "target_value": t.target_value, "unit": t.unit, "target_year": t.target_year,
                    "wording": t.wording, "eurostat_indicator": t.eurostat_indicator,
                    "area": t.area, "direction": t.direction, **_cite(t)} for t in r.targets],
                  cols)


def observations(r: Region) -> pd.DataFrame:
    """Observed values of the targets' indicators (empty where no source gives one).

    ``area`` is empty where the figure is for the region itself; ``age_band`` where none applies.
    """
    cols = ["target_id", "indicator", "area", "age_band", "value", "unit", "year", "note",
            "source", "locator"]
    return _frame([{"target_id": o.target, "indicator": o.indicator, "area": o.area,
                    "age_band": o.age_band, "value": o.value, "unit": o.unit, "year": o.year,
                    "note": o.note, **_cite(o)} for o in r.observations], cols)


def peers(r: Region) -> pd.DataFrame:
    """Regions a source names as comparable to the region, with the reason and source."""
    cols = ["code", "reason", "source", "locator"]
    return _frame([{"code": p.code, "reason": p.reason, **_cite(p)} for p in r.peers], cols)


def facts(r: Region) -> pd.DataFrame:
    """Facts and figures about the region, one row each, numbers and wordings side by side."""
    cols = ["fact_id", "label", "value", "unit", "wording", "year", "source", "locator"]
    return _frame([{"fact_id": f.id, "label": f.label, "value": f.value, "unit": f.unit,
                    "wording": f.wording, "year": f.year, **_cite(f)} for f in r.facts], cols)


def flags(model: Profile | Region) -> pd.DataFrame:
    """Every data-quality flag of a profile or region."""
    cols = ["flag_id", "field", "problem", "detail", "decision", "source", "locator",
            "related_sources"]

    def row(f: Flag) -> dict[str, Any]:
        return {"flag_id": f.id, "field": f.field, "problem": f.problem, "detail": f.detail,
                "decision": f.decision, **_cite(f),
                "related_sources": ", ".join(c.source for c in f.related)}

    return _frame([row(f) for f in model.flags], cols)


# --- survey rounds ----------------------------------------------------------------------------

#: Which ``survey_round`` values of the benchmark rows each notebook choice keeps.
ROUND_ROWS: dict[str, tuple[str, ...]] = {
    "2018": ("2018",),
    "2020": ("2020", "2018+2020"),
    "both": ("2018", "2020", "2018+2020"),
}


def benchmarks_for_round(frame: pd.DataFrame, survey_round: str | int) -> pd.DataFrame:
    """Survey-wide rows that belong to a notebook's ``survey_round`` choice, in file order.

    ``2018`` keeps the first round's figures (rows "2018"). ``2020`` keeps rows "2020" and
    "2018+2020": the survey published its 2020 results mostly pooled with the 2018 round.
    ``"both"`` keeps every row; the ``survey_round`` column still labels each row by its round.
    """
    key = str(survey_round) if not isinstance(survey_round, bool) else ""
    if key not in ROUND_ROWS:
        raise ParameterError(f"parameter survey_round: {survey_round!r} is not a survey round "
                             "(allowed: 2018, 2020 or 'both')")
    return frame[frame["survey_round"].isin(ROUND_ROWS[key])].reset_index(drop=True)


def respondent_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The benchmark rows that count the cities responding to a survey round (with a number)."""
    return frame[(frame["component"] == "survey") & (frame["question"] == "respondents")
                 & (frame["unit"] == "cities") & frame["value"].notna()]


class Absent:
    """One sentence shown where a table or figure has no data to show.

    Partial profiles are normal (most published pages are cut off): the analyses return this
    instead of an empty table, and notebooks display it as the sentence it is.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Absent) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>"


def not_given(p: Profile, what: str) -> Absent:
    """ "<city>'s profile does not give <what>." """
    return Absent(f"{p.city}'s profile does not give {what}.")


def table_or(frame: pd.DataFrame, p: Profile, what: str) -> pd.DataFrame | Absent:
    """The table, or the sentence saying the profile does not give ``what`` when it is empty."""
    return not_given(p, what) if frame.empty else frame


def flag_table(flags_frame: pd.DataFrame) -> pd.DataFrame:
    """Flags as shown to readers: one row per flag id, without locators or related sources."""
    drop = [c for c in ("locator", "related_sources") if c in flags_frame.columns]
    return flags_frame.drop(columns=drop).set_index("flag_id")


def smart_specialisation(r: Region) -> str:
    """What smart specialisation is, in the words of the region's fact ``s3-concept``."""
    table = facts(r)
    row = table[table["fact_id"] == "s3-concept"]
    if row.empty:
        return f"{r.region}'s file gives no definition of smart specialisation (fact s3-concept)."
    fact = row.iloc[0]
    return f"Smart specialisation: {fact['wording']} [{fact['source']}, '{fact['locator']}']."
