"""Pydantic models of the data files: a city's profile here, with every other model re-exported.

``from city_innovation.store.models import X`` works for every model and vocabulary: the shared
records (base model, citations, flags, sources, CSV rows) live in ``records``, the region and
its strategy in ``region_models``. Every record that carries a figure inherits from
:class:`Cited`; problems found in a source are :class:`Flag` records.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from ..survey import options
from ..survey.rounds import PageRound, SurveyRound
from .records import (
    NUTS_CODE,
    Benchmark,
    Cited,
    EurostatValue,
    FigureStatus,
    Flag,
    FundingLevel,
    Grade,
    InstrumentLevel,
    Model,
    NutsName,
    PolicyStatus,
    Problem,
    Slug,
    Source,
    SourceKind,
    SurveyShare,
    ThemeKind,
    Weakens,
    require_unique,
    require_value_or_words,
)
from .region_models import (
    Approval,
    Award,
    Case,
    EuTargets,
    Fact,
    Indicator,
    Institution,
    Instrument,
    InstrumentUse,
    LineageEdge,
    Observation,
    Overlap,
    Peer,
    Period,
    Region,
    Target,
    Theme,
)

__all__ = [
    "NUTS_CODE", "Activities", "Activity", "Approval", "AreaStatus", "Award", "Benchmark",
    "Case", "Cited", "DataAvailability", "DedicatedFunding", "EuTargets", "EurostatValue",
    "Fact", "Figure", "FigureStatus", "Flag", "FundedActivities", "FundedCount",
    "FundingLevel", "FundingSource", "FundingSources", "FundingUse", "Goal", "Grade",
    "Indicator", "Institution", "Instrument", "InstrumentLevel", "InstrumentUse", "Items",
    "LineageEdge", "Model", "NutsName", "Observation", "Overlap", "PageRound", "PageVersion",
    "Partner", "Partnerships", "Peer", "People", "Period", "Person", "PolicyArea",
    "PolicyStatus", "Population", "Problem", "Profile", "QuotedUse", "RankedOption", "Region",
    "Roles", "RoundOnlyOption", "Slug", "Source", "SourceKind", "Spotlight", "StrategyAnswer",
    "SurveyRound", "SurveyShare", "Target", "Team", "Teams", "Theme", "ThemeKind", "Weakens",
]


# --- City profile -------------------------------------------------------------------------


class Person(Cited):
    name: str
    title: str | None = Field(default=None, description="as labelled: Mayor, City Manager ...")


class People(Cited):
    names: list[str] = Field(min_length=1)


class Population(Cited):
    value: int | None = Field(default=None, gt=0, description="empty where the figure is garbled")
    year: int | None = None
    wording: str | None = None
    printed: str | None = Field(default=None, description="the figure as printed, if garbled")

    @model_validator(mode="after")
    def _value_or_printed(self) -> Self:
        require_value_or_words(self.value, self.printed,
                               "a population needs a value or the figure as printed")
        return self


class Items(Cited):
    """A list of short labels read from one section."""

    items: list[str] = Field(min_length=1)


class Figure(Model):
    label: str
    value: float = Field(ge=0)
    unit: str
    year: int | None = None


class Spotlight(Cited):
    name: str
    summary: list[str] = Field(description="short keywords of what the project is")
    figures: list[Figure] = Field(default_factory=list)


class StrategyAnswer(Cited):
    question: str
    answer: str
    survey_share: SurveyShare | None = None


class Goal(Model):
    label: str
    target_year: int | None = None


class PolicyArea(Cited):
    name: str
    goals: list[Goal] = Field(default_factory=list)
    means: list[str] = Field(default_factory=list)


class Roles(Cited):
    stated_count: int | None = Field(default=None, ge=0, description="empty where not stated")
    listed: list[str]


class Team(Model):
    name: str
    location: str | None = None
    staff: int = Field(ge=0)


class Teams(Cited):
    teams: list[Team] = Field(default_factory=list)
    divisions_with_own_team: str | None = Field(default=None, description="wording, not a count")
    staff: int | None = Field(default=None, ge=0,
                              description="staff of the dedicated team, where one figure is given")
    staff_at_least: bool = Field(default=False, description="the figure is a lower bound")
    team_count: int | None = Field(default=None, ge=1, description="teams or sub-teams it has")
    location: str | None = Field(default=None, description="where the team sits")


class Activity(Model):
    name: str
    survey_option: str | None = Field(default=None,
                                      description="the matching label of the seven-item list")
    examples: list[str] = Field(default_factory=list)


class RankedOption(Model):
    rank: int = Field(ge=1)
    label: str


class Activities(Cited):
    common: list[Activity]
    ranking: list[RankedOption] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_exist(self) -> Self:
        labels = {r.label for r in self.ranking}
        for a in self.common:
            known = labels or set(options.ACTIVITY_OPTIONS)
            if a.survey_option is not None and a.survey_option not in known \
                    and options.activity_option(a.survey_option) is None:
                raise ValueError(
                    f"activity {a.name!r}: survey_option {a.survey_option!r} is not in the "
                    f"ranking (allowed: {sorted(labels)})"
                )
        return self


class DedicatedFunding(Cited):
    has_dedicated_funding: bool
    survey_share: SurveyShare


class FundingSource(Model):
    name: str
    level: FundingLevel
    definition: str
    examples: list[str] = Field(default_factory=list)


class FundingSources(Cited):
    sources: list[FundingSource]


class FundedCount(Model):
    position: int = Field(ge=1, description="order in which the pair is printed")
    activity: str
    cities: int | None = Field(default=None, ge=0)
    aligned: bool = Field(default=True, description="false where label and count do not match")


class FundedActivities(Cited):
    city_funds: list[str] = Field(description="activities the city itself is read as funding")
    survey_counts: list[FundedCount]


class RoundOnlyOption(Model):
    option: str
    survey_round: SurveyRound


class QuotedUse(Model):
    use: str
    survey_share: SurveyShare


class FundingUse(Cited):
    uses: list[str]
    quoted: list[QuotedUse] = Field(default_factory=list)
    round_only_options: list[RoundOnlyOption] = Field(default_factory=list)


class Partner(Model):
    name: str
    examples: list[str] = Field(default_factory=list)


class Partnerships(Cited):
    partners: list[Partner]
    data_partners: list[Partner]
    data_purposes: list[str] = Field(default_factory=list)


class AreaStatus(Model):
    area: str
    status: Literal["sufficient", "insufficient", "unknown"]


class DataAvailability(Cited):
    areas: list[AreaStatus]


class PageVersion(Model):
    """What dates one stored version of a city's profile page (see ``versions.py``).

    A city's page was replaced on the survey site between rounds; each version kept in
    ``data/`` says what tells its date and flags what cannot be dated.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40,
                    description="the version's name among the city's versions, e.g. 2018-full")
    rendering: Literal["full", "compact"] | None = Field(
        default=None, description="the page's template; None: not known")
    survey_round: PageRound | None = Field(
        default=None, description="the round the page's wording or template tells; None: unknown")
    round_evidence: str | None = Field(default=None, description="what tells the round")
    population_year: int | None = None
    url: str | None = Field(default=None, description="the page's address, where known")
    url_date: str | None = Field(default=None, description="when the address showed this "
                                 "version (YYYY-MM-DD), where known")
    added: int = Field(ge=1, description="order in which the versions were added (1 = first)")
    text_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$",
                                    description="hash of the page text's lines, to spot a "
                                    "repeated page")
    flags: list[str] = Field(default_factory=list,
                             description="what cannot be dated, one short sentence each")


class Profile(Model):
    """A city's profile in the survey of innovation capacity in cities."""

    city: str
    country: str | None = None
    survey_rounds: list[SurveyRound]
    mayor: Person | None = Field(default=None, description="the city's leader (see title)")
    population: Population | None = None
    region: str | None = Field(default=None, description="the region the city belongs to, "
                               "where a source names it (a name in data/regions/)")
    other_population_figures: list[Population] = Field(default_factory=list)
    innovation_officers: People | None = None
    helps_to: Items | None = None
    success_factors: Items | None = None
    spotlight: Spotlight | None = None
    strategy: list[StrategyAnswer] = Field(default_factory=list)
    policy_areas: list[PolicyArea] = Field(default_factory=list)
    policy_areas_status: PolicyStatus | None = Field(
        default=None, description="listed, none_prioritised, empty or prose_only")
    roles: Roles | None = None
    teams: Teams | None = None
    innovation_terms: Items | None = None
    activities: Activities | None = None
    dedicated_funding: DedicatedFunding | None = None
    funding_sources: FundingSources | None = None
    funded_activities: FundedActivities | None = None
    funding_use: FundingUse | None = None
    partnerships: Partnerships | None = None
    data_availability: DataAvailability | None = None
    flags: list[Flag] = Field(default_factory=list)
    page: PageVersion | None = Field(default=None, description="which page version this is")

    @model_validator(mode="after")
    def _unique_flags(self) -> Self:
        require_unique([f.id for f in self.flags], "flags", "flag id")
        if self.policy_areas and self.policy_areas_status not in (None, "listed"):
            raise ValueError(f"policy_areas_status {self.policy_areas_status!r} with policy areas "
                             "listed (allowed: listed)")
        return self
