"""Stage 5 of reading a profile page: the Profile written as a data file.

:func:`to_yaml` lays the profile out as the data files are (:func:`tidy`: ids first, source and
locator last, whole numbers without ".0"); :func:`write_profile` writes it atomically to
:func:`default_output` or a given file. The page's bibliography entry is written by
:mod:`city_innovation.ingest.bibliography`, apart from the profile.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ... import data, files
from ...errors import ParameterError
from ...store.models import Profile


def tidy(value: Any) -> Any:
    """Data-file layout: ids first, source and locator last, whole numbers without ".0"."""
    if isinstance(value, dict):
        rank = {"id": 0, "source": 2, "locator": 2}
        keys = sorted(value, key=lambda k: rank.get(k, 1))
        return {k: tidy(value[k]) for k in keys}
    if isinstance(value, list):
        return [tidy(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_yaml(profile: Profile) -> str:
    """The profile as a data file: fields in model order, empty and default values left out."""
    body = tidy(profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    head = (f"# {profile.city}'s profile in the OECD / Bloomberg Philanthropies survey of "
            "innovation capacity in cities,\n# read from the published profile text by "
            "`city-innovation parse-profile`. Review the flags at the end:\n# they keep the "
            "text that could not be placed.\n")
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def default_output(city: str, root: str | os.PathLike[str] | None = None) -> Path:
    """Where a city's profile goes by default: ``<data>/profiles/<slug>.yaml``."""
    stem = data.slug(city)
    if not stem:
        raise ParameterError(f"city: {city!r} gives no file name; pass -o FILE.yaml")
    return data.data_dir(root) / data.PROFILES / f"{stem}.yaml"


def write_profile(profile: Profile, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the profile's YAML atomically (temporary file, then moved into place).

    An existing file is replaced only with ``force``.
    """
    target = Path(path)
    if target.is_dir():
        raise ParameterError(f"-o: {target.name} is a folder (expected a .yaml file)")
    if target.exists() and not force:
        raise ParameterError(f"{target.parent.name}/{target.name} exists: pass --force to replace "
                             "it, or -o FILE to write elsewhere")
    text = to_yaml(profile)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_text(target, text)
    except OSError as exc:
        raise ParameterError(f"-o: {target} cannot be written ({exc.strerror})") from None
    return target
