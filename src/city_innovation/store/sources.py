"""The bibliography: ``data/sources.yaml``, the source ids a record cites, and the sources table.

Every cited record names a source id; a file citing an id the bibliography lacks does not load.
The cited-ids walk finds every citation inside a model, so a notebook can list the sources behind
what it shows.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from ..errors import DataError
from ..paths import data_dir
from .read import display_name, read_yaml, stamp, validate_model
from .records import Cited, Source

SOURCES = "sources.yaml"


@functools.lru_cache(maxsize=32)
def _sources_cached(root: Path, _mtime: float) -> dict[str, Source]:
    path = root / SOURCES
    name = display_name(path, root)
    raw = read_yaml(path, root)
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise DataError([f"{name}: sources: expected a list under the key 'sources'"])
    out: dict[str, Source] = {}
    problems: list[str] = []
    for i, item in enumerate(raw["sources"]):
        try:
            src = validate_model(Source, item, f"{name}: sources.{i}")
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
    return _sources_cached(base, stamp(base / SOURCES))


def cited_ids(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, source id) of every cited record inside a model."""
    if isinstance(obj, Cited):
        yield path or "(top level)", obj.source
    if isinstance(obj, BaseModel):
        for key in type(obj).model_fields:
            yield from cited_ids(getattr(obj, key), f"{path}.{key}" if path else key)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from cited_ids(item, f"{path}.{i}")


def check_sources(model: BaseModel, known: dict[str, Source], name: str) -> None:
    """Refuse a model citing a source id the bibliography lacks (one problem per citation)."""
    problems = [
        f"{name}: {field}.source: unknown source id {sid!r} (allowed: ids in {SOURCES})"
        for field, sid in cited_ids(model)
        if sid not in known
    ]
    if problems:
        raise DataError(problems)


def sources_table(ids: Sequence[str], root: str | os.PathLike[str] | None = None
                  ) -> pd.DataFrame:
    """The sources behind a notebook, in the order given: id, title, publisher, date, grade,
    url (for its closing "Sources" section)."""
    known = load_sources(root)
    rows = [{"id": i, "title": known[i].title, "publisher": known[i].publisher,
             "date": known[i].date, "grade": known[i].grade or "", "url": known[i].url or ""}
            for i in dict.fromkeys(ids) if i in known]
    return pd.DataFrame(rows, columns=["id", "title", "publisher", "date", "grade", "url"])


def source_grades(root: str | os.PathLike[str] | None = None) -> dict[str, str | None]:
    """Each source id with its grade (None for sources that are not graded)."""
    return {k: s.grade for k, s in load_sources(root).items()}
