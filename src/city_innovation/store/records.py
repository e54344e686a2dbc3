"""The records every data file shares: the base model, citations, flags and source entries.

Every record that carries a figure inherits from :class:`Cited` and so names its source (an id in
``data/sources.yaml``) and, where it applies, a locator (the section of that source). Problems
found in a source are :class:`Flag` records: the field, the kind of problem and what was decided.
The rows of the CSV tables (survey figures, Eurostat values, NUTS names) are models here too.
The profile's models are in ``models``, the region's in ``region_models``.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..survey.rounds import SurveyRound

Problem = Literal["ambiguous", "contradictory", "missing", "garbled"]
SourceKind = Literal[
    "city-profile", "web-page", "report", "report-chapter", "press-release", "news", "summary",
    "dataset"
]
FundingLevel = Literal[
    "international", "national", "municipal", "non-financial", "innovative-financing"
]
PolicyStatus = Literal["listed", "none_prioritised", "empty", "prose_only"]
InstrumentLevel = Literal["EU", "national", "regional", "foundation"]
#: Authority of a source of a strategy (see ``Source.grade``).
Grade = Literal["A", "B", "C", "D"]
ThemeKind = Literal["priority", "opportunity-area", "thematic-area"]
Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
#: A NUTS region code: country code and up to three more characters (FI1B, SE11, DK01).
NUTS_CODE = r"^[A-Z]{2}[A-Z0-9]{0,3}$"


class Model(BaseModel):
    """Base: unknown fields are refused so a typo in a data file never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(Model):
    """One document in the bibliography."""

    id: str = Slug
    title: str
    publisher: str
    url: str | None = None
    date: str = Field(description="publication date, year or period the document covers")
    kind: SourceKind
    note: str | None = None
    grade: Grade | None = Field(default=None, description=(
        "authority of a strategy source: A European Commission or JRC page; B the region's or "
        "city's own page; C a copy of the strategy document; D secondary"))


class Cited(Model):
    """A record that carries facts: where they were read."""

    source: str = Field(min_length=1)
    locator: str | None = None


#: How a flagged entry counts in notebook 02's figure of funding levels (city and region side by
#: side): listed on the page but not confirmed as used, or an implementer rather than a funder.
FigureStatus = Literal["listed, use not confirmed", "implementer, not a funder"]


class Weakens(Model):
    """The entries of the side-by-side funding figure that a flag weakens, and how."""

    status: FigureStatus
    instrument: str | None = Field(
        default=None, description="a region's instrument id; None: every entry of the file")


class Flag(Cited):
    """A problem in a source and the decision taken about it."""

    id: str = Slug
    field: str
    problem: Problem
    detail: str
    decision: str
    raw: str | None = Field(default=None, description="the text as printed, where it helps")
    related: list[Cited] = Field(default_factory=list, description="other sources involved")
    weakens: Weakens | None = Field(default=None,
                                    description="entries of the funding-levels figure it weakens")


class SurveyShare(Model):
    """A survey-wide share quoted beside a city's answer: a number, a wording, or both."""

    value: float | None = Field(default=None, ge=0, le=100, description="percent of cities")
    wording: str | None = None
    survey_round: SurveyRound | None = None

    @model_validator(mode="after")
    def _value_or_wording(self) -> Self:
        require_value_or_words(self.value, self.wording,
                               "a survey share needs a value (0-100) or a wording")
        return self



def require_value_or_words(value: float | None, words: str | None, message: str) -> None:
    """Refuse a record that gives neither a number nor the words standing for it."""
    if value is None and not words:
        raise ValueError(message)


def require_unique(values: list[str], where: str, what: str) -> None:
    """Refuse the first value of ``values`` that repeats an earlier one."""
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{where}: duplicate {what} {v!r}")
        seen.add(v)




class EurostatValue(Model):
    """One value of a Eurostat regional series (a row of indicators/eurostat_regions.csv)."""

    dataset: str = Field(pattern=r"^[a-z0-9_]+$")
    indicator: str = Field(pattern=r"^[a-z0-9_]+$")
    region_code: str = Field(pattern=NUTS_CODE)
    nuts_version: str = Field(pattern=r"^\d{4}$",
                              description="the NUTS version the extract names for the code")
    year: int
    value: float
    unit: str
    source: str
    locator: str


class NutsName(Model):
    """A NUTS region's code and name (a row of indicators/nuts_regions.csv)."""

    code: str = Field(pattern=NUTS_CODE)
    name: str
    level: int = Field(ge=0, le=3)
    nuts_version: str = Field(pattern=r"^\d{4}$")
    source: str
    locator: str


class Benchmark(Model):
    """One survey-wide figure (a row of data/survey/benchmarks.csv)."""

    id: str = Slug
    survey_round: SurveyRound
    component: str
    question: str
    item: str
    value: float | None = Field(default=None, ge=0)
    wording: str | None = None
    unit: Literal["percent", "cities", "percentage points"]
    base_n: int | None = Field(default=None, gt=0)
    source: str
    locator: str
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        require_value_or_words(self.value, self.wording,
                               f"value: benchmark {self.id!r} needs a value or a wording")
        if self.unit == "percent" and self.value is not None and self.value > 100:
            raise ValueError(f"value: benchmark {self.id!r} is a share above 100 percent "
                             "(allowed: 0-100)")
        if self.unit == "cities" and self.value is not None and self.base_n is not None \
                and self.value > self.base_n:
            raise ValueError(f"value: benchmark {self.id!r} counts more cities than its base_n")
        return self
