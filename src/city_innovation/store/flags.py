"""Data-quality flags: the flags table of a profile or region, and the one way to select,
stack, table and word them.

A flag's ``field`` is a dotted path into the file ("roles", "roles.stated_count",
"periods.2021-2027.theme-id"). Selecting flags "on a field" means that field or a field inside it
(:func:`concerns`); every analysis that picks, tables or lists flags goes through the functions
here, so a change to how flags are matched or shown is made once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .frames import cite, frame
from .models import Flag, Profile
from .region_models import EuTargets, Region

#: Columns of the flags table.
COLUMNS = ["flag_id", "field", "problem", "detail", "decision", "source", "locator",
           "related_sources"]
#: Columns of flags stacked from several files (after the column naming the file's owner).
STACKED = ["flag_id", "field", "problem", "detail", "decision", "source"]


def flags_frame(model: Profile | Region | EuTargets) -> pd.DataFrame:
    """Every data-quality flag of a profile or region, one row each."""

    def row(f: Flag) -> dict[str, Any]:
        return {"flag_id": f.id, "field": f.field, "problem": f.problem, "detail": f.detail,
                "decision": f.decision, **cite(f),
                "related_sources": ", ".join(c.source for c in f.related)}

    return frame([row(f) for f in model.flags], COLUMNS)


def concerns(field: str, paths: str | Iterable[str], *, below: bool = True,
             depth: int | None = None) -> bool:
    """Whether a flag on ``field`` is on one of ``paths`` or (``below``) on a field inside one:
    "roles" concerns "roles" and "roles.stated_count", never "roles_x". With ``depth``, only a
    field of that many dotted parts counts."""
    wanted = (paths,) if isinstance(paths, str) else tuple(paths)
    if depth is not None and field.count(".") + 1 != depth:
        return False
    return any(field == p or (below and field.startswith(p + ".")) for p in wanted)


def matches(flags: pd.DataFrame, paths: str | Iterable[str], *, below: bool = True,
            depth: int | None = None) -> pd.Series:
    """Per row of a flags table, whether it :func:`concerns` ``paths``."""
    wanted = (paths,) if isinstance(paths, str) else tuple(paths)
    return flags["field"].map(lambda f: concerns(f, wanted, below=below, depth=depth)).astype(bool)


def on_field(flags: pd.DataFrame, paths: str | Iterable[str], *, below: bool = True,
             depth: int | None = None, skip: Iterable[str] = ()) -> pd.DataFrame:
    """The rows of a flags table on ``paths`` (see :func:`concerns`), in table order; ``skip``
    leaves out kinds of problem (e.g. "garbled")."""
    keep = matches(flags, paths, below=below, depth=depth) & ~flags["problem"].isin(list(skip))
    return flags[keep].reset_index(drop=True)


def flags_on(model: Profile | Region, paths: str | Iterable[str],
             problem: str | None = None) -> list[Flag]:
    """The flags of a model on ``paths`` (see :func:`concerns`), of kind ``problem`` if given."""
    return [f for f in model.flags
            if concerns(f.field, paths) and (problem is None or f.problem == problem)]


def ids_on(model: Profile | Region, paths: str | Iterable[str],
           problem: str | None = None) -> list[str]:
    """The ids of :func:`flags_on`."""
    return [f.id for f in flags_on(model, paths, problem)]


def stacked(parts: Iterable[tuple[str, pd.DataFrame]], key: str) -> pd.DataFrame:
    """Flags tables of several files one below the other, the owner's name in column ``key``
    (e.g. each city, or a city and its region), without locators."""
    frames = [flags.assign(**{key: owner}) for owner, flags in parts]
    if not frames:
        return pd.DataFrame(columns=[key, *STACKED])
    return pd.concat(frames, ignore_index=True)[[key, *STACKED]]


def reader_table(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags as shown to readers: one row per flag id, without locators or related sources."""
    drop = [c for c in ("locator", "related_sources") if c in flags.columns]
    return flags.drop(columns=drop).set_index("flag_id")


def as_lines(flags: pd.DataFrame, none: str) -> str:
    """Flags as lines (problem, detail, decision), or the line ``none`` where there are none."""
    if flags.empty:
        return none
    return "\n".join(f"Flag {f.flag_id} ({f.problem}): {f.detail}\n  Decision: {f.decision}"
                     for f in flags.itertuples())


def problem_counts(flags: pd.DataFrame) -> pd.Series:
    """Number of flags by kind of problem, in the order of the kinds' names."""
    return flags["problem"].value_counts().sort_index()
