"""The bibliography entry of a published profile page, added to ``data/sources.yaml``.

What a profile read by :mod:`.profile_page` cites: its source id (:func:`default_source`,
:func:`profile_source`), a warning when that id is not in the bibliography, and the entry that
``parse-profile --url`` appends to the bibliography, keeping the rest of the file byte for byte.
Kept apart from reading the page: this module edits the data folder's bibliography.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from .. import data, files
from ..errors import DataError, ParameterError
from ..store.models import Profile, Source


def default_source(city: str) -> str:
    """The source id a parsed profile cites unless told otherwise ("oecd-map-<slug>")."""
    return f"oecd-map-{data.slug(city)}"


def profile_source(profile: Profile) -> str:
    """The source id the profile's records cite (the first one found)."""
    def first(value: Any) -> str | None:
        if isinstance(value, dict):
            if isinstance(value.get("source"), str):
                return value["source"]
            value = list(value.values())
        if isinstance(value, list):
            return next((s for v in value if (s := first(v))), None)
        return None

    return first(profile.model_dump(exclude={"flags"})) or default_source(profile.city)


def source_warnings(profile: Profile, root: str | os.PathLike[str] | None = None) -> list[str]:
    """A warning when the profile's source id is not in the bibliography (sources.yaml)."""
    sid = profile_source(profile)
    where = f"{data.data_dir(root).name}/{data.SOURCES}"
    try:
        known = data.load_sources(root)
    except DataError as exc:
        return [f"source id {sid!r} could not be checked: {exc.problems[0]}"]
    if sid in known:
        return []
    return [f"source id {sid!r} is not in {where}: run parse-profile again with --url URL (the "
            "page's address) to add it, or add an entry with this id (title, publisher, url, "
            "date, kind: city-profile) by hand before loading the profile"]


PUBLISHER = "OECD and Bloomberg Philanthropies"


def source_entry(profile: Profile, url: str) -> str:
    """The bibliography entry of a profile page, as YAML lines of the ``sources`` list."""
    if not re.fullmatch(r"https?://[^\s\"]{1,500}", url):
        raise ParameterError(f"--url: {url!r} is not a web address (allowed: http:// or "
                             "https:// and no spaces)")
    place = f"{profile.city}, {profile.country}" if profile.country else profile.city
    rounds = " and ".join(profile.survey_rounds)
    date = f"survey rounds {rounds}" if rounds else "not stated on the page"
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 - a YAML-safe quote
    return (f"  - id: {profile_source(profile)}\n"
            f"    title: {q(place + ': city profile on the Global Innovation Map')}\n"
            f"    publisher: {PUBLISHER}\n"
            f"    url: {q(url)}\n"
            f"    date: {q(date)}\n"
            "    kind: city-profile\n")


def add_source(profile: Profile, url: str,
               root: str | os.PathLike[str] | None = None) -> Path | None:
    """Append the profile's bibliography entry to sources.yaml unless its id is there.

    The rest of the file is kept byte for byte; the new file is checked and written
    atomically. Returns the file written, or None when the entry existed.
    """
    path = data.data_dir(root) / data.SOURCES
    entry = source_entry(profile, url)
    try:
        old = path.read_text(encoding="utf-8")
        known = {s.get("id") for s in (yaml.safe_load(old) or {}).get("sources") or []}
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise ParameterError(f"--url: {path.name} cannot be read as a bibliography "
                             f"({exc})") from None
    if profile_source(profile) in known:
        return None
    if not re.search(r"^sources:[^\S\n]*$(?![\s\S]*^\S)", old, re.MULTILINE):
        raise ParameterError(f"--url: {path.name} does not end with its 'sources:' list; add "
                             "the entry by hand")
    new = old + ("" if old.endswith("\n") else "\n") + entry
    added = yaml.safe_load(new)["sources"][-1]
    Source.model_validate(added)
    try:
        files.write_text(path, new)
    except OSError as exc:
        raise ParameterError(f"--url: {path} cannot be written ({exc.strerror})") from None
    return path
