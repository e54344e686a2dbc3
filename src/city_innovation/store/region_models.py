"""Pydantic models of a region's file: the region and its smart-specialisation strategy.

A region has strategy periods with their themes, links between themes of consecutive periods,
funding instruments, targets with observed values, and flags; EU-wide targets share the
:class:`Target` model. Cross-references (a lineage edge's themes, an instrument use's theme and
instrument, an observation's target) are checked when the file is loaded.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from .records import (
    NUTS_CODE,
    Cited,
    Flag,
    InstrumentLevel,
    Model,
    Slug,
    ThemeKind,
    require_unique,
    require_value_or_words,
)


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
        require_value_or_words(self.value, self.wording,
                               f"fact {self.id!r} needs a value or a wording")
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


class Overlap(Model):
    """An instrument whose name overlaps others of its level, so counts per level count names,
    not distinct funds."""

    other: str | None = Field(default=None,
                              description="the instrument id it overlaps; None: any other of "
                                          "its level")
    why: str


class Instrument(Model):
    id: str = Slug
    name: str
    level: InstrumentLevel
    kind: Literal["funding", "network"] = "funding"
    overlaps: Overlap | None = None


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
        require_unique([t.id for t in self.targets], "targets", "target id")
        require_unique([f.id for f in self.flags], "flags", "flag id")
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
        require_unique([p.id for p in self.periods], "periods", "period id")
        instrument_ids = {i.id for i in self.instruments}
        named = [(f"instruments.{i.id}.overlaps.other", i.overlaps.other)
                 for i in self.instruments if i.overlaps] + \
                [(f"flags.{f.id}.weakens.instrument", f.weakens.instrument)
                 for f in self.flags if f.weakens]
        for where, ref in named:
            if ref is not None and ref not in instrument_ids:
                raise ValueError(f"{where}: {ref!r} is not an instrument id of this file "
                                 f"(allowed: {', '.join(sorted(instrument_ids)) or 'none'})")
        starts = [p.start for p in self.periods]
        if starts != sorted(starts):
            raise ValueError("periods must be listed in order of their start year")
        period_of = {t.id: i for i, p in enumerate(self.periods) for t in p.themes}
        require_unique([t.id for p in [*self.periods, *self.national] for t in p.themes],
                        "periods.themes", "theme id")
        require_unique([p.id for p in self.national], "national", "period id")
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
        require_unique([i.id for i in self.instruments], "instruments", "instrument id")
        instruments = {i.id for i in self.instruments}
        for u in self.instrument_uses:
            if u.theme not in period_of:
                raise ValueError(f"instrument_uses: theme {u.theme!r} does not exist")
            if u.instrument not in instruments:
                raise ValueError(
                    f"instrument_uses: instrument {u.instrument!r} does not exist "
                    f"(allowed: {sorted(instruments)})"
                )
        require_unique([f.id for f in self.facts], "facts", "fact id")
        require_unique([t.id for t in self.targets], "targets", "target id")
        targets = {t.id for t in self.targets}
        for o in self.observations:
            if o.target not in targets:
                raise ValueError(f"observations: target {o.target!r} does not exist")
        require_unique([f.id for f in self.flags], "flags", "flag id")
        return self
