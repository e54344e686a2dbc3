"""Every stored version of a city's profile page, dated and in order.

The survey site replaced some cities' pages between the 2018 and 2020 rounds. ``data/`` keeps
each version: the newest is the city's profile (``profiles/<slug>.yaml``, what notebooks 01-05
and the peers read, one file per city), the older ones are in
``profile_versions/<slug>/<version id>.yaml``. Each carries a ``page`` block
(:class:`~city_innovation.store.models.PageVersion`): the round the page's wording tells, the
population year, the address and its date where known, and what cannot be dated.

Order of versions: by survey round, then population year, then the order they were added; a
version whose round is unknown is placed by the order it was added and flagged. Adding a page
as a new version is :mod:`city_innovation.ingest.page_versions`'s.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import NotFoundError, ParameterError
from ..paths import data_dir
from .load import (
    PROFILE_VERSIONS,
    available_cities,
    load_file,
    load_profile,
    profile_path,
)
from .models import Profile

VERSIONS = PROFILE_VERSIONS


def sort_key(p: Profile) -> tuple[int, int, int]:
    """Oldest first: survey round, population year, then the order the versions were added."""
    page = p.page
    if page is None:
        return (9999, 9999, 0)  # a profile without a page block is the only (newest) version
    rnd = int(page.survey_round) if page.survey_round else 0
    return (rnd, page.population_year or 0, page.added) if rnd else (0, 0, page.added)


def version_folder(city: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Folder of a city's older page versions (``profile_versions/<slug>/``)."""
    return data_dir(root) / VERSIONS / profile_path(city, root).stem


def load_versions(city: str, root: str | os.PathLike[str] | None = None) -> list[Profile]:
    """Every stored version of a city's page, oldest first; the last is its profile."""
    base = data_dir(root)
    newest = load_profile(city, base)
    older = [load_file(Profile, path, base)
             for path in sorted(version_folder(city, base).glob("*.yaml"))]
    return sorted(older, key=sort_key) + [newest]


def version_ids(city: str, root: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of a city's versions, oldest first (``newest`` where a profile has no page block)."""
    return [v.page.id if v.page else "newest" for v in load_versions(city, root)]


def cities_with_versions(root: str | os.PathLike[str] | None = None,
                         minimum: int = 2) -> list[str]:
    """The cities with at least ``minimum`` stored page versions, in name order."""
    folder = data_dir(root) / VERSIONS
    out = []
    for city in available_cities(root):
        stem = profile_path(city, root).stem
        if 1 + len(list((folder / stem).glob("*.yaml"))) >= minimum:
            out.append(city)
    return sorted(out)


def pick(city: str, version: str, root: str | os.PathLike[str] | None = None,
         name: str = "version") -> Profile:
    """One version by id, or ``oldest`` / ``newest``; the error names the parameter."""
    found = load_versions(city, root)
    ids = [v.page.id if v.page else "newest" for v in found]
    if version == "oldest":
        return found[0]
    if version == "newest":
        return found[-1]
    if version not in ids:
        raise ParameterError(f"parameter {name}: {version!r} is not a page version of {city} "
                             f"(allowed: oldest, newest, {', '.join(ids)})")
    return found[ids.index(version)]


def stored_profile(city: str, root: str | os.PathLike[str] | None = None) -> Path | None:
    """The profile file of a city already in ``data/`` (None where it has none)."""
    try:
        return profile_path(city, root)
    except NotFoundError:
        return None
