"""Pydantic models of the data files.

Every record that carries a figure inherits from :class:`Cited` and so names its source (an id in
``data/sources.yaml``) and, where it applies, a locator (the section of that source). Problems
found in a source are :class:`Flag` records: the field, the kind of problem and what was decided.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..survey import options

SurveyRound = Literal["2018", "2020", "2018+2020"]
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


class Flag(Cited):
    """A problem in a source and the decision taken about it."""

    id: str = Slug
    field: str
    problem: Problem
    detail: str
    decision: str
    raw: str | None = Field(default=None, description="the text as printed, where it helps")
    related: list[Cited] = Field(default_factory=list, description="other sources involved")


class SurveyShare(Model):
    """A survey-wide share quoted beside a city's answer: a number, a wording, or both."""

    value: float | None = Field(default=None, ge=0, le=100, description="percent of cities")
    wording: str | None = None
    survey_round: SurveyRound | None = None

    @model_validator(mode="after")
    def _value_or_wording(self) -> Self:
        if self.value is None and not self.wording:
            raise ValueError("a survey share needs a value (0-100) or a wording")
        return self


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
        if self.value is None and not self.printed:
            raise ValueError("a population needs a value or the figure as printed")
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
    survey_round: Literal["2018", "2020"] | None = Field(
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
        _require_unique([f.id for f in self.flags], "flags", "flag id")
        if self.policy_areas and self.policy_areas_status not in (None, "listed"):
            raise ValueError(f"policy_areas_status {self.policy_areas_status!r} with policy areas "
                             "listed (allowed: listed)")
        return self


# --- Region and its smart-specialisation strategy -------------------------------------------


class Fact(Cited):
    """A figure or stated fact about the region; a number, a wording, or both."""

    id: str = Slug
    label: str
    value: float | None = Field(default=None, ge=0)
    unit: str | None = None
    year: str | None = Field(default=None, description="year or period the figure refers to")
    wording: str | None = None

    @model_validator(mode="after")
    def _value_or_wording(self) -> Self:
        if self.value is None and not self.wording:
            raise ValueError(f"fact {self.id!r} needs a value or a wording")
        return self


class Institution(Cited):
    name: str
    kind: Literal["university", "university of applied sciences", "research institute"]


class Theme(Model):
    """A priority of a period: its English name, and either a paraphrase with focus areas or,
    where the source gives only labels, the label as printed and its sub-priorities."""

    id: str = Slug
    name: str = Field(min_length=1,
                      description="English name (the source's own or a literal translation)")
    summary: str | None = Field(default=None, description="a short paraphrase of the theme")
    focus_areas: list[str] = Field(default_factory=list)
    kind: ThemeKind = "priority"
    label: str | None = Field(default=None, description="the label as printed, where it is "
                                                        "not in English")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    translated: bool = Field(default=False, description="name is our literal translation")
    sub_priorities: list[str] = Field(default_factory=list)
    source: str | None = Field(default=None, description="where it differs from the period's")
    locator: str | None = None

    @model_validator(mode="after")
    def _described(self) -> Self:
        if self.summary is not None and not self.focus_areas:
            raise ValueError(f"theme {self.id!r}: focus_areas: needs one or more with a summary")
        if self.label is not None and not self.language:
            raise ValueError(f"theme {self.id!r}: language: needed with label (allowed: a "
                             "two-letter code such as pt)")
        return self


class Approval(Cited):
    year: int
    by: str


class Period(Cited):
    id: str = Field(pattern=r"^\d{4}-\d{4}$")
    start: int
    end: int
    name: str | None = None
    theme_word: Literal["theme", "spearhead"] = "theme"
    approved: Approval | None = None
    scope: Literal["region", "national"] = Field(
        default="region", description="national: the country's strategy, never the region's")
    note: str | None = None
    themes: list[Theme] = Field(min_length=1)

    @model_validator(mode="after")
    def _years(self) -> Self:
        if self.id != f"{self.start}-{self.end}" or self.end < self.start:
            raise ValueError(f"period {self.id!r}: id must be 'start-end' with start <= end")
        return self


class LineageEdge(Cited):
    from_theme: str
    to_theme: str
    relation: Literal["continued", "merged-into", "renamed"]
    basis: Literal["stated", "same-name", "implied"]
    note: str | None = None


class Instrument(Model):
    id: str = Slug
    name: str
    level: InstrumentLevel
    kind: Literal["funding", "network"] = "funding"


class InstrumentUse(Cited):
    theme: str
    instrument: str
    note: str | None = None


class Target(Cited):
    id: str = Slug
    priority: str
    indicator: str
    target_value: float | None = Field(default=None, ge=0)
    unit: str | None = None
    target_year: int
    wording: str
    eurostat_indicator: str | None = Field(
        default=None, description="indicator of indicators/eurostat_regions.csv observing the "
                                  "target for the region's nuts_code")
    area: str | None = Field(default=None, description="the area the target is set for, where "
                                                       "it is not the region (e.g. a city)")
    direction: Literal["at least", "at most", "reduction"] | None = Field(
        default=None, description="reduction: target_value is a cut in percent from base_year")
    base_year: int | None = None


class Observation(Cited):
    """An observed value of a target's indicator, with its year and, where it differs, its area.

    A figure for another area than the region (a city, a metropolitan area) or for a narrower
    definition (an age band) says so in ``area`` and ``age_band``: it is a series of its own,
    never merged with the region's.
    """

    target: str
    value: float
    unit: str
    year: int
    indicator: str | None = Field(default=None, description="what was measured, if narrower "
                                                            "than the target's indicator")
    area: str | None = Field(default=None, description="the area measured; empty: the region")
    age_band: str | None = Field(default=None, description="ages covered, e.g. 15-64")
    note: str | None = None


class Peer(Cited):
    """A region a source names as comparable (e.g. ranked next to the region)."""

    code: str = Field(pattern=NUTS_CODE)
    reason: str


class Award(Cited):
    name: str
    by: str | None = None
    year: str
    note: str | None = None


class Case(Cited):
    name: str
    place: str
    summary: list[str]
    actors: list[str] = Field(default_factory=list)


class Indicator(Cited):
    label: str


class EuTargets(Model):
    """EU-wide targets that apply to every EU region (data/eu_targets.yaml)."""

    targets: list[Target] = Field(min_length=1)
    flags: list[Flag] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _require_unique([t.id for t in self.targets], "targets", "target id")
        _require_unique([f.id for f in self.flags], "flags", "flag id")
        return self


class Region(Model):
    """A region and its smart-specialisation strategy over several periods."""

    region: str = Field(min_length=1)
    country: str = Field(min_length=1)
    nuts_code: str | None = Field(default=None, pattern=NUTS_CODE,
                                  description="the region's NUTS 2 code in the statistics")
    run_by: str | None = None
    cities: list[str] = Field(default_factory=list,
                              description="cities of the region that may have a profile")
    peers: list[Peer] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    institutions: list[Institution] = Field(default_factory=list)
    periods: list[Period] = Field(min_length=1)
    national: list[Period] = Field(default_factory=list, description=(
        "the country's strategy by period: stands in for a period the region has none of, "
        "shown beside the region's own otherwise"))
    lineage: list[LineageEdge] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    instrument_uses: list[InstrumentUse] = Field(default_factory=list)
    evaluation: list[Indicator] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    observations: list[Observation] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Self:
        _require_unique([p.id for p in self.periods], "periods", "period id")
        starts = [p.start for p in self.periods]
        if starts != sorted(starts):
            raise ValueError("periods must be listed in order of their start year")
        period_of = {t.id: i for i, p in enumerate(self.periods) for t in p.themes}
        _require_unique([t.id for p in [*self.periods, *self.national] for t in p.themes],
                        "periods.themes", "theme id")
        _require_unique([p.id for p in self.national], "national", "period id")
        for where, group, scope in (("periods", self.periods, "region"),
                                    ("national", self.national, "national")):
            for p in group:
                if p.scope != scope:
                    raise ValueError(f"{where}.{p.id}.scope: {p.scope!r} (allowed: {scope})")
        for e in self.lineage:
            for end in (e.from_theme, e.to_theme):
                if end not in period_of:
                    raise ValueError(
                        f"lineage {e.from_theme} -> {e.to_theme}: theme {end!r} does not exist "
                        f"(allowed: theme ids of the periods)"
                    )
            if period_of[e.to_theme] != period_of[e.from_theme] + 1:
                raise ValueError(
                    f"lineage {e.from_theme} -> {e.to_theme}: must link a theme to one of the "
                    "next period"
                )
        _require_unique([i.id for i in self.instruments], "instruments", "instrument id")
        instruments = {i.id for i in self.instruments}
        for u in self.instrument_uses:
            if u.theme not in period_of:
                raise ValueError(f"instrument_uses: theme {u.theme!r} does not exist")
            if u.instrument not in instruments:
                raise ValueError(
                    f"instrument_uses: instrument {u.instrument!r} does not exist "
                    f"(allowed: {sorted(instruments)})"
                )
        _require_unique([f.id for f in self.facts], "facts", "fact id")
        _require_unique([t.id for t in self.targets], "targets", "target id")
        targets = {t.id for t in self.targets}
        for o in self.observations:
            if o.target not in targets:
                raise ValueError(f"observations: target {o.target!r} does not exist")
        _require_unique([f.id for f in self.flags], "flags", "flag id")
        return self


def _require_unique(values: list[str], where: str, what: str) -> None:
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
        if self.value is None and not self.wording:
            raise ValueError(f"value: benchmark {self.id!r} needs a value or a wording")
        if self.unit == "percent" and self.value is not None and self.value > 100:
            raise ValueError(f"value: benchmark {self.id!r} is a share above 100 percent "
                             "(allowed: 0-100)")
        if self.unit == "cities" and self.value is not None and self.base_n is not None \
                and self.value > self.base_n:
            raise ValueError(f"value: benchmark {self.id!r} counts more cities than its base_n")
        return self
