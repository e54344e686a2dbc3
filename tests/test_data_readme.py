"""data/README.md documents every field of the data models and every benchmarks.csv column.

Names are derived from the pydantic models, so a field added to a model (or a value added to one
of its Literal types) without documentation makes this test fail.
"""

from __future__ import annotations

import csv
import re
import types
from typing import Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from city_innovation.paths import REPO_ROOT
from city_innovation.store import models

README = REPO_ROOT / "data" / "README.md"
BENCHMARKS_CSV = REPO_ROOT / "data" / "survey" / "benchmarks.csv"
ROOTS = (models.Profile, models.Region, models.Benchmark, models.Source, models.EurostatValue,
         models.NutsName)


def _leaves(annotation: object) -> list[object]:
    """The types inside an annotation (through Optional, list and Literal)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list) or origin is Literal:
        return [t for arg in get_args(annotation) for t in _leaves(arg)] \
            if origin is not Literal else [annotation]
    return [annotation]


def _documented_models() -> list[type[BaseModel]]:
    """Every model reachable from the roots through field types or base classes."""
    seen: list[type[BaseModel]] = []
    stack: list[type[BaseModel]] = list(ROOTS)
    while stack:
        model = stack.pop()
        if model in seen or model in (models.Model, BaseModel):
            continue
        seen.append(model)
        stack += [b for b in model.__bases__ if issubclass(b, BaseModel)]
        for info in model.model_fields.values():
            stack += [t for t in _leaves(info.annotation)
                      if isinstance(t, type) and issubclass(t, BaseModel)]
    return sorted(seen, key=lambda m: m.__name__)


def _own_fields(model: type[BaseModel]) -> list[str]:
    """Fields a model defines itself (inherited ones are documented with the base)."""
    inherited = {name for base in model.__bases__ if issubclass(base, BaseModel)
                 for name in base.model_fields}
    return [name for name in model.model_fields if name not in inherited]


def _literal_values(model: type[BaseModel], field: str) -> list[str]:
    return [str(v) for t in _leaves(model.model_fields[field].annotation)
            if get_origin(t) is Literal for v in get_args(t)]


def _section(text: str, model_name: str) -> str:
    """The text under the heading naming the model as (`Name`), up to the next heading."""
    match = re.search(rf"^#+ [^\n]*\(`{model_name}`\)[^\n]*\n(.*?)(?=^#|\Z)", text, re.M | re.S)
    assert match, f"data/README.md has no heading naming (`{model_name}`)"
    return match.group(1)


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_models_are_found():
    names = {m.__name__ for m in _documented_models()}
    assert {"Profile", "Region", "Benchmark", "Source", "Cited", "Flag", "SurveyShare",
            "FundedCount", "LineageEdge", "Approval"} <= names


@pytest.mark.parametrize("model", _documented_models(), ids=lambda m: m.__name__)
def test_every_field_is_documented(readme, model):
    section = _section(readme, model.__name__)
    missing = [f for f in _own_fields(model) if f"`{f}`" not in section]
    assert not missing, f"{model.__name__}: fields not documented in data/README.md: {missing}"
    values = [v for f in _own_fields(model) for v in _literal_values(model, f)
              if f"`{v}`" not in section]
    assert not values, f"{model.__name__}: allowed values not documented: {values}"


def test_every_benchmark_column_is_documented(readme):
    with BENCHMARKS_CSV.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == list(models.Benchmark.model_fields)
    section = _section(readme, "Benchmark")
    missing = [c for c in header if f"`{c}`" not in section]
    assert not missing, f"benchmarks.csv columns not documented in data/README.md: {missing}"


@pytest.mark.parametrize(("path", "model"), [
    (REPO_ROOT / "data" / "indicators" / "eurostat_regions.csv", models.EurostatValue),
    (REPO_ROOT / "data" / "indicators" / "nuts_regions.csv", models.NutsName)])
def test_every_indicator_column_is_documented(readme, path, model):
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == list(model.model_fields)
    section = _section(readme, model.__name__)
    assert not [c for c in header if f"`{c}`" not in section]
