"""Reading one data file: YAML text, a model validated with one problem line per field, stamps.

Loading is strict: every problem is reported as ``file: field: what is wrong (allowed: ...)``
in one :class:`~city_innovation.errors.DataError`. The readers here know nothing of which file
is which; ``load`` and ``sources`` name the files and cache what they read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import DataError

M = TypeVar("M", bound=BaseModel)

#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else PyYAML's.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def display_name(path: Path, root: Path) -> str:
    """How problems name a file: its path from the data folder's parent, else its name."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return path.name


def load_yaml(text: str) -> Any:
    """Plain data of a YAML text (a safe loader: no Python objects)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # a safe loader: plain data only


def read_yaml(path: Path, root: Path) -> Any:
    """Plain data of a YAML file; a missing, undecodable or invalid file is one problem line."""
    name = display_name(path, root)
    if not path.is_file():
        raise DataError([f"{name}: file not found"])
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DataError([f"{name}: not UTF-8 text"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError([f"{name}: {where}invalid YAML: {problem}"]) from None


def pydantic_problems(name: str, exc: ValidationError) -> list[str]:
    """One ``name: field: message`` line per validation error (empty values say "to fill in")."""
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err.get("input", 0) in ("", None) and err["type"] != "missing":
            msg = f"empty, to fill in ({msg})"
        problems.append(f"{name}: {field}: {msg}" if field else f"{name}: {msg}")
    return problems


def validate_model(model: type[M], raw: Any, name: str) -> M:
    """``raw`` validated as ``model``; every problem in one :class:`DataError`."""
    if not isinstance(raw, dict):
        raise DataError([f"{name}: expected a mapping of fields at the top level"])
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(pydantic_problems(name, exc)) from None


def stamp(path: Path) -> float:
    """A file's modification time (-1 for a missing file): the key of every cache here."""
    return path.stat().st_mtime if path.exists() else -1.0
