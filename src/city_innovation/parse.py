"""Read a city's profile as published on the survey site (copied as text) into a Profile.

The text is cut into sections at the known headings (:data:`HEADINGS`, the one vocabulary
table); each section has a reader. Sentences that state a fact wherever the page layout put them
(survey shares, dedicated funding, teams, funding uses, partnerships) are read by sentence
patterns in any section, so sections may come in any order or be missing. Nothing is dropped:
text that cannot be placed, and garbled parts of the page, become :class:`~.models.Flag` records
with the raw text, and a warning each.

All patterns work on single lines or sentences with bounded repetitions, so the work grows
linearly with the text; the text itself is limited to :data:`MAX_BYTES`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

from . import data, files
from .errors import DataError, ParameterError, ParseError
from .models import (
    Activities,
    Activity,
    AreaStatus,
    DataAvailability,
    DedicatedFunding,
    Flag,
    FundedActivities,
    FundedCount,
    FundingLevel,
    FundingSource,
    FundingSources,
    FundingUse,
    Goal,
    Items,
    Partner,
    Partnerships,
    People,
    Person,
    PolicyArea,
    Population,
    Problem,
    Profile,
    QuotedUse,
    RankedOption,
    Roles,
    RoundOnlyOption,
    StrategyAnswer,
    SurveyShare,
    Team,
    Teams,
)

MAX_BYTES = 1_000_000
"""Largest profile text accepted (a published profile is about 10 kB)."""

HEADER = "profile header"
NOT_STATED = "not stated"
ROUNDS = ("2018", "2020")


class Heading(NamedTuple):
    """A heading of the published profile: the section it opens and the field it fills."""

    key: str
    field: str
    label: str
    pattern: re.Pattern[str]


def _h(key: str, field: str, label: str, pattern: str) -> Heading:
    return Heading(key, field, label, re.compile(pattern, re.IGNORECASE))


_CITY = r"(?P<city>[^:]{1,80}?)"

HEADINGS: tuple[Heading, ...] = (
    _h("website", "innovation_website", "Innovation Website", r"innovation website:?"),
    _h("officers", "innovation_officers", "Lead Innovation Officers",
       r"lead innovation officers?:?"),
    _h("helps_to", "helps_to", "Innovation is helping to:", r"innovation is helping to:?"),
    _h("success_factors", "success_factors", "Critical success factors:",
       r"critical success factors:?"),
    _h("spotlight", "spotlight", "Spotlight on innovation in <city>",
       rf"spotlight on innovation in {_CITY}"),
    _h("vision", "strategy", "Vision and approach to innovation capacity",
       r"vision and approach to innovation capacity:?"),
    _h("policy_areas", "policy_areas", "Policy areas that <city> is focused on",
       rf"policy areas that {_CITY} (?:is|are) focused on:?"),
    _h("policy_chart", "policy_areas", "Policy areas by number of cities",
       r"policy areas by number of cities"),
    _h("roles", "roles", "<city> utilizes N different innovation skills or roles",
       rf"{_CITY} utili[sz]es (?P<n>\d{{1,3}}) different innovation skills or roles:?"),
    _h("roles_chart", "roles", "Innovation roles by number of cities",
       r"innovation roles by number of cities"),
    _h("terms", "innovation_terms", "Terms <city> most associates with innovation",
       rf"terms {_CITY} most associates with innovation:?"),
    _h("activities", "activities", "<city>'s most common innovation activities",
       rf"{_CITY}'s? most common innovation activities:?"),
    _h("funding", "dedicated_funding", "How is innovation funded here?",
       r"how is innovation funded here\??"),
    _h("funding_sources", "funding_sources", "Top sources of funding",
       r"top sources of funding:?"),
    _h("funded_activities", "funded_activities", "Activities being funded",
       r"activities being funded:?"),
    _h("measured", "partnerships", "How is innovation measured?",
       r"how is innovation measured\??"),
    _h("data_availability", "data_availability", "Data availability by policy area",
       r"data availability by policy areas?:?"),
)
_MAX_HEADING = 160

FUNDING_LEVELS: dict[str, tuple[str, FundingLevel]] = {
    re.sub(r"[^a-z]", "", name.lower()): (name, level)
    for name, level in (
        ("International/multilateral institution budget", "international"),
        ("Central/federal/national government budget", "national"),
        ("Municipal budget", "municipal"),
        ("Non-financial resources", "non-financial"),
        ("Innovative financing tools", "innovative-financing"),
    )
}
"""The five funding-source labels of the survey and their levels (keyed by letters only)."""

# --- text clean-up ---------------------------------------------------------------------------

_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\u2028": "\n", "\u2029": "\n",
})
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_BULLET = re.compile(r"^[\u2022\u00b7\u2023\u25e6\u25aa\u25cf\u2013*-] +")


def normalise(text: str) -> list[str]:
    """Lines of the text without copy-paste artefacts: line endings, odd spaces and quotes,
    bullets (•, -, *), indentation."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHARS)
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text))
    return [_BULLET.sub("", line.strip()) for line in text.split("\n")]


_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)\s+(?=[A-Z\"*(])")
_LOOKS_SENTENCE = re.compile(r"[.!?][\"')*]*$|\. ")


def _is_sentence(line: str) -> bool:
    """Prose rather than a label: long, or with a full stop."""
    return len(line) > 120 or bool(_LOOKS_SENTENCE.search(line))


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        depth += (ch == "(") - (ch == ")")
    return out


def _split_top(text: str, sep: re.Pattern[str]) -> list[str]:
    """Split at the separators that are outside parentheses."""
    depth = _depths(text)
    parts, start = [], 0
    for m in sep.finditer(text):
        if depth[m.start()] == 0:
            parts.append(text[start:m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


_COMMA = re.compile(r",")
_SEMICOLON = re.compile(r";")
_ALSO = re.compile(r"\s+(?:and\s+with|as\s+well\s+as(?:\s+with)?)\s+")
_AND = re.compile(r"\s+and\s+")
_LEAD = re.compile(r"^(?:(?:and|as well as|with|also)\s+)+", re.IGNORECASE)


def _clean_item(text: str) -> str:
    return _LEAD.sub("", text.strip()).strip(" .;,*")


def _split_list(text: str) -> list[str]:
    """Items of a written list: "a, b (e.g. x, y), c and d" -> a, b (e.g. x, y), c, d."""
    pieces = [p for part in _split_top(text, _COMMA) for p in _split_top(part, _ALSO)]
    if pieces:
        last = _split_top(pieces[-1], _AND)
        pieces[-1:] = [" and ".join(last[:-1]), last[-1]] if len(last) > 1 else last
    return [c for p in pieces if (c := _clean_item(p))]


def _examples(text: str) -> list[str]:
    """Examples of an "e.g." line: separated by semicolons, else by commas."""
    sep = _SEMICOLON if ";" in text else _COMMA
    return [c for p in _split_top(text, sep) if (c := _clean_item(p))]


_WITH_EXAMPLES = re.compile(
    r"^(?P<name>[^(]{1,200}?)\s*\((?:e\.g\.|i\.e\.|such as|including|for example)\s*"
    r"(?P<ex>[^()]{0,400})\)$", re.IGNORECASE)


def _named(item: str) -> tuple[str, list[str]]:
    """Split "name (e.g. x, y)" into the name and its examples."""
    m = _WITH_EXAMPLES.match(item)
    return (m["name"].strip(), _examples(m["ex"])) if m else (item, [])


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- sentence patterns ---------------------------------------------------------------------

_COMPARISON = re.compile(
    r"^(?:along with|like|similar to|unlike|as with|in line with|contrary to|compared (?:with|to)"
    r"|in contrast (?:with|to)|just like|as in)\s+(?P<share>[^,]{1,160}),\s*(?P<clause>.+)$",
    re.IGNORECASE)
_IN_ROUND = re.compile(r"\s*\bin the (?P<year>(?:19|20)\d\d) (?:survey|round)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\b(\d{1,3}(?:\.\d{1,2})?) ?%")
_NEGATION = re.compile(r"\b(?:not|no|lacks?|without|neither)\b|n't\b", re.IGNORECASE)
_EXPLICIT = re.compile(r"\bexplicit innovation strateg", re.IGNORECASE)
_APPROACH = re.compile(r"\bapproach(?:es)? innovation capacity\s+(.+)$", re.IGNORECASE)
_DEDICATED = re.compile(r"\bdedicated funding\b", re.IGNORECASE)
_FUNDING_FOR = r"funding for innovation capacity is (?:\w+ ){0,2}?"
_QUOTED_USE = re.compile(
    _FUNDING_FOR + r"(?:directed|used|spent|allocated) (?:towards?|for|on)\s+(.+)$",
    re.IGNORECASE)
_USES = re.compile(
    _FUNDING_FOR + r"used (?:to invest in|to fund|to support|for|on)\s+(.+)$",
    re.IGNORECASE)
_ROUND_ONLY = re.compile(
    r"\"([^\"]{1,160})\" is not an option in the ((?:19|20)\d\d) (?:survey|round)",
    re.IGNORECASE)
_TEAM = re.compile(
    r"\b((?:[A-Z][\w&/'-]{0,40}\s){1,6}[Tt]eam)\s+(?:has|had|have|employs)\s+(\d{1,6})\s+"
    r"(?:staff|employees|people|members)\b")
_LOCATED = re.compile(
    r"^(?:situated|located|based|housed)\s+(?:at|in|within|inside)\s+(?:the\s+)?([^,]{1,80}),",
    re.IGNORECASE)
_DIVISIONS = re.compile(
    r"^([^,]{1,80}?)\s+(?:have|has)\s+(?:their|its)\s+own\s+innovation\s+teams?\b",
    re.IGNORECASE)
_PARTNERS = re.compile(r"\b(data\s+)?partnerships?\b[^.]{0,80}?\bwith\s+(.+)$", re.IGNORECASE)
_GOAL = re.compile(
    r"\b(?:to become|to be|to achieve|to reach|aims? to|aiming to|striving to|plans? to"
    r"|goal is to)\s+([^.;]{1,120}?)\s+by\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_GOAL_VERB = re.compile(r"^(?:become|be|achieve|reach)\s+", re.IGNORECASE)
_SUCH_AS = re.compile(r"\bsuch as\s+(.+)$", re.IGNORECASE)
_SURVEY_YEAR = re.compile(r"\b(2018|2020) (?:survey|round)\b", re.IGNORECASE)

# --- line patterns -------------------------------------------------------------------------

_POPULATION = re.compile(r"(\d{1,3}(?:[,. ]\d{3}){1,4}|\d{1,10})\s*(?:\(((?:19|20)\d\d)\))?")
_MAYOR_PREFIX = re.compile(r"^mayor\s*:?\s+", re.IGNORECASE)
_EG = re.compile(r"^(?:e\.\s?g\.|eg\.)\s*:?\s*(.+)$", re.IGNORECASE)
_RANK_ONLY = re.compile(r"([1-9]\d?)[.)]?(?:\s+[1-9]\d?)?")
_RANK_LABEL = re.compile(r"([1-9]\d?)[.)]\s+(?:[1-9]\d?\s+)?(\D.*)")
_CITIES = re.compile(r"(\d{1,7})\s+cit(?:y|ies)", re.IGNORECASE)
_DESCRIPTION = re.compile(r"^([^:]{1,80}):\s+(.+)$")
_LEGEND = re.compile(
    r"(?:in)?sufficient data|no data|limited data|data (?:not )?available|not available",
    re.IGNORECASE)
_NAME_SEP = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_STOP = frozenset(["a", "an", "and", "or", "the", "of", "to", "in", "for", "on", "with",
                   "within", "your", "city", "s", "new", "based"])


def _tokens(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP}


def _best_option(name: str, labels: list[str]) -> str | None:
    """The survey option a city's activity refers to: most shared words, none if no overlap."""
    exact = [label for label in labels if label.casefold() == name.casefold()]
    if exact:
        return exact[0]
    words = _tokens(name)

    def score(label: str) -> float:
        other = _tokens(label)
        return len(words & other) / len(words | other) if words | other else 0.0

    best = max(labels, key=score, default=None)
    return best if best is not None and score(best) > 0 else None


# --- sections ------------------------------------------------------------------------------


@dataclass
class Section:
    """A heading of the page and the non-blank lines under it."""

    heading: Heading
    printed: str
    match: re.Match[str]
    lines: list[str]

    @property
    def locator(self) -> str:
        return self.printed.rstrip(":").strip()

    @property
    def field(self) -> str:
        return self.heading.field


def _match_heading(line: str) -> tuple[Heading, re.Match[str]] | None:
    if len(line) > _MAX_HEADING:
        return None
    for h in HEADINGS:
        if m := h.pattern.fullmatch(line):
            return h, m
    return None


def split_sections(lines: list[str]) -> tuple[list[str], list[Section]]:
    """The header (lines before the first heading) and the sections, in printed order."""
    header: list[str] = []
    sections: list[Section] = []
    for line in lines:
        found = _match_heading(line) if line else None
        if found:
            sections.append(Section(found[0], line, found[1], []))
        elif line:
            (sections[-1].lines if sections else header).append(line)
    return header, sections


def _city_of(match: re.Match[str]) -> str | None:
    city = match.groupdict().get("city")
    return city.strip().removesuffix("'").strip() if city else None


# --- the reader ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParseResult:
    """The profile read from a text and the warnings to show its user."""

    profile: Profile
    warnings: list[str]


class _Reader:
    """Collects the fields of a profile section by section, and the flags."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.fields: dict[str, Any] = {}
        self.flags: list[Flag] = []
        self.ids: set[str] = set()
        self.seen: Counter[str] = Counter()
        self.strategy: list[StrategyAnswer] = []
        self.teams: list[Team] = []
        self.teams_at: str | None = None
        self.uses: list[str] = []
        self.quoted: list[QuotedUse] = []
        self.round_only: list[RoundOnlyOption] = []
        self.use_at: str | None = None
        self.partners: list[Partner] = []
        self.data_partners: list[Partner] = []
        self.purposes: list[str] = []
        self.partners_at: str | None = None

    # flags ------------------------------------------------------------------------------

    def flag(self, fid: str, field: str, problem: Problem, detail: str, decision: str, *,
             raw: str | None = None, locator: str | None = None) -> None:
        base = fid = fid.replace("_", "-")
        while fid in self.ids:   # numbered from 2; the counter keeps this linear
            self.seen[base] += 1
            fid = f"{base}-{self.seen[base] + 1}"
        self.ids.add(fid)
        self.flags.append(Flag(id=fid, field=field, problem=problem, detail=detail,
                               decision=decision, raw=raw, source=self.source, locator=locator))

    def unplaced(self, sec: Section | None, lines: list[str]) -> None:
        if not lines:
            return
        where = f"under {sec.locator!r}" if sec else "before the first heading"
        self.flag(f"{sec.heading.key if sec else 'header'}-unplaced",
                  sec.field if sec else "profile", "ambiguous",
                  f"Text {where} that could not be placed in any field.",
                  "Kept here as printed for review; no field was filled from it.",
                  raw=" / ".join(lines), locator=sec.locator if sec else HEADER)

    def set_once(self, field: str, value: Any, sec: Section, raw: str) -> None:
        if field in self.fields:
            self.flag(f"{field}-repeated", field, "contradictory",
                      f"The text states {field.replace('_', ' ')} more than once.",
                      "The first statement is kept; this one is recorded here.",
                      raw=raw, locator=sec.locator)
        else:
            self.fields[field] = value

    def dedupe(self, items: list[str], sec: Section) -> list[str]:
        seen: dict[str, str] = {}
        for item in items:
            seen.setdefault(item.casefold(), item)
        if len(seen) < len(items):
            self.flag(f"{sec.field}-repeated", sec.field, "garbled",
                      f"Labels under {sec.locator!r} are printed more than once.",
                      "Each label is recorded once.", raw=" / ".join(items), locator=sec.locator)
        return list(seen.values())

    def cite(self, sec: Section | str) -> dict[str, str]:
        return {"source": self.source,
                "locator": sec.locator if isinstance(sec, Section) else sec}

    # sentences found anywhere -----------------------------------------------------------------

    def claim(self, line: str, sec: Section) -> str | None:
        """Read the sentences of a line that state known facts; return the rest (or None)."""
        sentences = _SENTENCE_END.split(line)
        rest = [s for s in sentences if not self.take(s, sec)]
        if not rest:
            return None
        return line if len(rest) == len(sentences) else " ".join(rest)

    def claim_all(self, lines: Iterable[str], sec: Section) -> list[str]:
        return [rest for line in lines if (rest := self.claim(line, sec)) is not None]

    def take(self, s: str, sec: Section) -> bool:
        readers: tuple[Callable[[str, Section], bool], ...] = (
            self._comparison, self._funding_uses, self._round_only, self._teams,
            self._divisions, self._partners)
        return any(read(s, sec) for read in readers)

    def _share(self, text: str) -> SurveyShare | None:
        m = _IN_ROUND.search(text)
        year = m["year"] if m and m["year"] in ROUNDS else None
        wording = (text[:m.start()] + text[m.end():]).strip() if m and year else text.strip()
        pm = _PERCENT.search(wording)
        value = float(pm[1]) if pm and float(pm[1]) <= 100 else None
        return SurveyShare(value=value, wording=wording, survey_round=year) if wording else None

    def _comparison(self, s: str, sec: Section) -> bool:
        m = _COMPARISON.match(s)
        share = self._share(m["share"]) if m else None
        if not m or share is None:
            return False
        clause = m["clause"]
        if _EXPLICIT.search(clause):
            answer = "no" if _NEGATION.search(clause) else "yes"
            self.strategy.append(StrategyAnswer(question="explicit innovation strategy",
                                                answer=answer, survey_share=share,
                                                **self.cite(sec)))
        elif a := _APPROACH.search(clause):
            self.strategy.append(StrategyAnswer(question="approach to innovation capacity",
                                                answer=a[1].rstrip(" .*"), survey_share=share,
                                                **self.cite(sec)))
        elif _DEDICATED.search(clause):
            has = not _NEGATION.search(clause)
            self.set_once("dedicated_funding", DedicatedFunding(
                has_dedicated_funding=has, survey_share=share, **self.cite(sec)), sec, s)
        elif q := _QUOTED_USE.search(clause):
            self.quoted.append(QuotedUse(use=_capitalise(q[1].rstrip(" .*")), survey_share=share))
            self.use_at = self.use_at or sec.locator
        else:
            return False
        return True

    def _funding_uses(self, s: str, sec: Section) -> bool:
        m = _USES.search(s)
        if m:
            self.uses += _split_list(m[1])
            self.use_at = self.use_at or sec.locator
        return bool(m)

    def _round_only(self, s: str, sec: Section) -> bool:
        other = {"2018": "2020", "2020": "2018"}
        found = [(opt.strip(" *"), other[y]) for opt, y in _ROUND_ONLY.findall(s) if y in other]
        self.round_only += [RoundOnlyOption(option=o, survey_round=r) for o, r in found]
        if found:
            self.use_at = self.use_at or sec.locator
        return bool(found)

    def _teams(self, s: str, sec: Section) -> bool:
        found = [Team(name=re.sub(r"^The\s+", "", name), staff=int(staff))
                 for name, staff in _TEAM.findall(s)]
        if not found:
            return False
        if loc := _LOCATED.match(s):
            found[0].location = loc[1].strip()
        self.teams += found
        self.teams_at = self.teams_at or sec.locator
        return True

    def _divisions(self, s: str, sec: Section) -> bool:
        m = _DIVISIONS.match(s)
        if m:
            words = m[1].strip()
            lower = words[:1].lower() + words[1:] if words[1:2].islower() else words
            self.set_once("divisions", lower, sec, s)
            self.teams_at = self.teams_at or sec.locator
        return bool(m)

    def _partners(self, s: str, sec: Section) -> bool:
        m = _PARTNERS.search(s)
        if not m:
            return False
        for item in _split_list(m[2]):
            if m[1] and item.lower().startswith("to "):
                self.purposes.append(item[3:].strip())
                continue
            name, examples = _named(re.sub(r"^the\s+", "", item, flags=re.IGNORECASE))
            (self.data_partners if m[1] else self.partners).append(
                Partner(name=name, examples=examples))
        self.partners_at = self.partners_at or sec.locator
        return True

    # header and sections ------------------------------------------------------------------

    def header(self, lines: list[str]) -> None:
        rest: list[str] = []
        for line in lines:
            pop = _POPULATION.fullmatch(line)
            value = int(re.sub(r"\D", "", pop[1])) if pop else 0
            if pop and value > 0 and "population" not in self.fields:
                self.fields["population"] = Population(
                    value=value, year=int(pop[2]) if pop[2] else None, **self.cite(HEADER))
            elif "mayor" not in self.fields and "population" not in self.fields \
                    and not rest and len(line) <= 80 and not _is_sentence(line):
                self.fields["mayor"] = Person(name=_MAYOR_PREFIX.sub("", line), **self.cite(HEADER))
            else:
                rest.append(line)
        self.unplaced(None, rest)

    def items(self, sec: Section) -> list[str]:
        """Labels of a list section; prose in it is read as sentences or kept as unplaced."""
        labels = [line for line in sec.lines if not _is_sentence(line)]
        self.unplaced(sec, self.claim_all((x for x in sec.lines if _is_sentence(x)), sec))
        return self.dedupe(labels, sec)

    def read_items(self, sec: Section) -> None:
        labels = self.items(sec)
        if labels:
            self.fields[sec.field] = Items(items=labels, **self.cite(sec))

    read_helps_to = read_success_factors = read_terms = read_items

    def read_website(self, sec: Section) -> None:
        lines = self.items(sec)
        if lines:
            self.flag("innovation-website", "innovation_website", "ambiguous",
                      "The profile model has no field for the innovation website.",
                      "The address is kept here as printed.", raw=" / ".join(lines),
                      locator=sec.locator)
        else:
            self.flag("innovation-website-missing", "innovation_website", "missing",
                      'The label "Innovation Website" appears without an address.',
                      "No website recorded.", locator=sec.locator)

    def read_officers(self, sec: Section) -> None:
        names = [n for line in self.items(sec) for n in _NAME_SEP.split(line) if n]
        if names:
            self.fields["innovation_officers"] = People(names=names, **self.cite(sec))

    def read_prose(self, sec: Section) -> None:
        self.unplaced(sec, self.claim_all(sec.lines, sec))

    read_vision = read_funding = read_prose

    def read_spotlight(self, sec: Section) -> None:
        rest = self.claim_all(sec.lines, sec)
        if rest:
            self.flag("spotlight-text", "spotlight", "ambiguous",
                      "The spotlight is free text; its project name, summary and figures are "
                      "not read automatically.",
                      "Kept here as printed; write the spotlight field from it by hand.",
                      raw=" / ".join(rest), locator=sec.locator)

    def read_chart(self, sec: Section) -> None:
        rest = self.claim_all(sec.lines, sec)
        what = "policy-areas" if sec.heading.key == "policy_chart" else "roles"
        if rest:
            self.flag(f"{what}-chart", sec.field, "ambiguous",
                      f"The chart {sec.locator!r} prints survey-wide figures that have no "
                      "field in a city profile.",
                      "Kept here as printed; survey-wide figures belong in "
                      "survey/benchmarks.csv.", raw=" / ".join(rest), locator=sec.locator)
        else:
            self.flag(f"{what}-chart-lost", sec.field, "missing",
                      f"The chart {sec.locator!r} kept its title but lost its data.",
                      "No survey-wide counts are read from the profile for this chart.",
                      locator=sec.locator)

    read_policy_chart = read_roles_chart = read_chart

    def read_policy_areas(self, sec: Section) -> None:
        names: list[str] = []
        described: list[tuple[str, str]] = []
        texts_of: dict[str, list[str]] = {}
        rest: list[str] = []
        for line in sec.lines:
            d = _DESCRIPTION.match(line)
            if d and (d[1].casefold() in texts_of or _is_sentence(d[2])):
                described.append((d[1].strip(), d[2]))
                texts_of.setdefault(d[1].strip().casefold(), []).append(d[2])
            elif _is_sentence(line):
                rest.append(line)
            else:
                names.append(line)
                texts_of.setdefault(line.casefold(), [])
        self.unplaced(sec, self.claim_all(rest, sec))
        names = self.dedupe(names, sec)
        listed = {n.casefold() for n in names}
        names += list(dict.fromkeys(n for n, _ in described if n.casefold() not in listed))
        areas = []
        for name in dict.fromkeys(names):
            texts = texts_of.get(name.casefold(), [])
            goals = [Goal(label=_GOAL_VERB.sub("", g[1]).strip(), target_year=int(g[2]))
                     for t in texts for g in _GOAL.finditer(t)]
            means = [m for t in texts for s in _SENTENCE_END.split(t)
                     if (such := _SUCH_AS.search(s)) for m in _split_list(such[1])]
            areas.append(PolicyArea(name=name, goals=goals, means=means, **self.cite(sec)))
        if areas:
            self.fields["policy_areas"] = areas
        if described:
            self.flag("policy-areas-text", "policy_areas", "ambiguous",
                      "The descriptions of the policy areas are free text; only goals with a "
                      "target year and 'such as' lists of means were read from them.",
                      "The descriptions are kept here as printed for review.",
                      raw=" / ".join(f"{n}: {t}" for n, t in described), locator=sec.locator)

    def read_roles(self, sec: Section) -> None:
        listed = self.items(sec)
        stated = int(sec.match["n"])
        self.fields["roles"] = Roles(stated_count=stated, listed=listed, **self.cite(sec))
        if stated != len(listed):
            self.flag("roles-count", "roles.stated_count", "contradictory",
                      f"The heading states {stated} innovation skills or roles; "
                      f"{len(listed)} are listed under it.",
                      "Both kept: the stated count and the listed roles.",
                      raw=sec.printed, locator=sec.locator)

    def read_activities(self, sec: Section) -> None:
        common: list[tuple[str, list[str]]] = []
        ranking: list[tuple[int, str]] = []
        pending: int | None = None
        rest: list[str] = []
        for line in sec.lines:
            eg = _EG.match(line)
            if eg and common and not ranking and pending is None:
                common[-1][1].extend(_examples(eg[1]))
            elif m := _RANK_ONLY.fullmatch(line):
                pending = int(m[1])
            elif m := _RANK_LABEL.fullmatch(line):
                ranking.append((int(m[1]), m[2].strip()))
            elif pending is not None and not _is_sentence(line):
                ranking.append((pending, line))
                pending = None
            elif ranking or eg or _is_sentence(line):
                rest.append(line)
            else:
                common.append((line, []))
        self.unplaced(sec, self.claim_all(rest, sec))
        self._activities(common, ranking, sec)

    def _activities(self, common: list[tuple[str, list[str]]], ranking: list[tuple[int, str]],
                    sec: Section) -> None:
        labels = list(dict.fromkeys(label for _, label in ranking))[:100]
        ranks = [r for r, _ in ranking]
        if ranking and len(set(ranks)) < len(ranks):
            self.flag("activities-ranking", "activities.ranking", "garbled",
                      "The numbered list of activities repeats a number.",
                      "The numbers are kept as printed.",
                      raw=" / ".join(f"{r}. {label}" for r, label in ranking),
                      locator=sec.locator)
        if not ranking:
            if common:
                self.flag("activities-unnumbered", "activities", "missing",
                          "The city's activities are listed but the numbered list of survey "
                          "options they refer to is missing.",
                          "No activities recorded; the listed activities are kept here.",
                          raw=" / ".join(n for n, _ in common), locator=sec.locator)
            return
        found, unmatched = [], []
        for name, examples in common:
            option = _best_option(name, labels)
            if option is None:
                unmatched.append(name)
            else:
                found.append(Activity(name=name, survey_option=option, examples=examples))
        if unmatched:
            self.flag("activities-unmatched", "activities.common", "ambiguous",
                      "These activities share no words with any of the numbered options.",
                      "Left out of the activities; kept here as printed.",
                      raw=" / ".join(unmatched), locator=sec.locator)
        self.fields["activities"] = Activities(
            common=found, ranking=[RankedOption(rank=r, label=lab) for r, lab in ranking],
            **self.cite(sec))

    def read_funding_sources(self, sec: Section) -> None:
        blocks: list[list[str]] = []   # each: [label, definition lines..., "e.g. ..."]
        repeated = False
        rest: list[str] = []
        for line in sec.lines:
            known = FUNDING_LEVELS.get(re.sub(r"[^a-z]", "", line.lower()))
            if known and blocks and blocks[-1] == [line]:
                repeated = True
            elif known or not (_is_sentence(line) or _EG.match(line)):
                blocks.append([line])
            elif _EG.match(line) and blocks:
                blocks[-1].append(line)
            elif (left := self.claim(line, sec)) is not None:
                (blocks[-1] if blocks else rest).append(left)
        sources, unknown = [], []
        for label, *text in blocks:
            known = FUNDING_LEVELS.get(re.sub(r"[^a-z]", "", label.lower()))
            if known is None:
                unknown.append(" / ".join([label, *text]))
                continue
            examples = [x for t in text if (eg := _EG.match(t)) for x in _examples(eg[1])]
            definition = " ".join(t for t in text if not _EG.match(t))
            sources.append(FundingSource(name=known[0], level=known[1], definition=definition,
                                         examples=examples))
        if unknown:
            self.flag("funding-sources-unknown", "funding_sources", "ambiguous",
                      "Labels that are not among the five funding sources of the survey, so "
                      "no funding level can be given to them.",
                      "Left out of the funding sources; kept here as printed.",
                      raw=" / ".join(unknown), locator=sec.locator)
        self.unplaced(sec, rest)
        if repeated:
            self.flag("funding-sources-repeated", "funding_sources", "garbled",
                      "Funding-source labels are printed twice in a row.",
                      "Each source is recorded once.", locator=sec.locator)
        if sources:
            self.fields["funding_sources"] = FundingSources(sources=sources, **self.cite(sec))

    def read_funded_activities(self, sec: Section) -> None:
        printed: list[str] = []
        rest: list[str] = []
        for line in sec.lines:
            if _is_sentence(line):
                rest.append(line)
            else:
                printed.append(line)
        self.unplaced(sec, self.claim_all(rest, sec))
        if printed:
            self._funded(printed, sec)

    def _funded(self, printed: list[str], sec: Section) -> None:
        """Pair each "N cities" line with the label printed before it.

        Labels printed before the first count are the city's own funded activities. When the
        last of them reappears later with another count, it is the city's label and the first
        count is paired with it but marked not aligned; otherwise it heads the survey counts.
        """
        counts = [int(m[1]) if (m := _CITIES.fullmatch(x)) else None for x in printed]
        first = next((i for i, c in enumerate(counts) if c is not None), len(printed))
        lead = printed[:first]
        pairs: list[FundedCount] = []
        stray: list[str] = []
        garbled = False
        later = {printed[i - 1] for i in range(first + 1, len(printed))
                 if counts[i] is not None and counts[i - 1] is None}
        city_funds = lead
        if lead and first < len(printed):
            borrowed = lead[-1] in later
            city_funds = lead if borrowed else lead[:-1]
            pairs.append(FundedCount(position=1, activity=lead[-1], cities=counts[first],
                                     aligned=not borrowed))
            garbled = borrowed
        elif first < len(printed):
            stray.append(printed[first])
        i = first + 1
        while i < len(printed):
            if counts[i] is not None:
                stray.append(printed[i])
                i += 1
                continue
            cities = counts[i + 1] if i + 1 < len(printed) else None
            pairs.append(FundedCount(position=len(pairs) + 1, activity=printed[i], cities=cities))
            garbled = garbled or cities is None
            i += 2 if cities is not None else 1
        garbled = garbled or bool(stray) or len({p.activity for p in pairs}) < len(pairs)
        self.fields["funded_activities"] = FundedActivities(
            city_funds=city_funds, survey_counts=pairs, **self.cite(sec))
        if garbled:
            self.flag("funded-activities-misaligned", "funded_activities", "garbled",
                      "Labels and counts under this heading do not line up (a label reused "
                      "with two counts, a label without a count, or a count without a label).",
                      "Each count is paired with the label printed just before it; a pair "
                      "that borrows the city's own label is marked not aligned; labels without "
                      "a count keep none; counts without a label are left out.",
                      raw=" / ".join(printed), locator=sec.locator)

    def read_measured(self, sec: Section) -> None:
        rest = self.claim_all(sec.lines, sec)
        if rest:
            self.flag("measurement-text", "measurement", "ambiguous",
                      "The profile model has no field for how innovation is measured.",
                      "Kept here as printed.", raw=" / ".join(rest), locator=sec.locator)
        else:
            self.flag("measurement-section-empty", "partnerships", "garbled",
                      f"Under the heading {sec.locator!r} the text says nothing on "
                      "measurement (only partnerships, or nothing).",
                      "Partnership sentences are stored as partnerships; no measurement "
                      "answers are recorded.", locator=sec.locator)

    def read_data_availability(self, sec: Section) -> None:
        areas = [x for x in self.items(sec) if not _LEGEND.fullmatch(x)]
        if areas:
            self.fields["data_availability"] = DataAvailability(
                areas=[AreaStatus(area=a, status="unknown") for a in areas], **self.cite(sec))
            self.flag("data-availability-markers-lost", "data_availability.areas", "missing",
                      "The status markers of the areas (sufficient data or not) do not "
                      "survive in the text.",
                      "Every area gets status 'unknown'.", locator=sec.locator)

    # assembly -----------------------------------------------------------------------------

    def finish(self) -> None:
        """Build the records gathered from sentences anywhere in the text."""
        if self.strategy:
            self.fields["strategy"] = self.strategy
        if self.teams or "divisions" in self.fields:
            self.fields["teams"] = Teams(teams=self.teams,
                                         divisions_with_own_team=self.fields.get("divisions"),
                                         **self.cite(self.teams_at or ""))
        if self.uses or self.quoted or self.round_only:
            self.fields["funding_use"] = FundingUse(
                uses=self.uses, quoted=self.quoted, round_only_options=self.round_only,
                **self.cite(self.use_at or ""))
        if self.partners or self.data_partners:
            self.fields["partnerships"] = Partnerships(
                partners=self.partners, data_partners=self.data_partners,
                data_purposes=self.purposes, **self.cite(self.partners_at or ""))
        self.fields.pop("divisions", None)


def default_source(city: str) -> str:
    """The source id a parsed profile cites unless told otherwise ("oecd-map-<slug>")."""
    return f"oecd-map-{data.slug(city)}"


def _choose_city(sections: list[Section], city: str | None,
                 name: str) -> tuple[str, tuple[str, str] | None]:
    """The city's name (given, else the most frequent in the headings), and the detail and
    decision of a flag when the headings disagree with it."""
    named = Counter(c for s in sections if (c := _city_of(s.match)))
    if city and city.strip():
        given = city.strip()
        others = sorted(c for c in named if c.casefold() != given.casefold())
        note = (f"The headings name {', '.join(others)}; the name given was {given!r}.",
                "The name given is used.")
        return given, note if others else None
    if not named:
        raise ParseError(f"{name}: no heading names the city (such as '<city> utilizes N "
                         "different innovation skills or roles'); pass --city NAME")
    chosen = named.most_common(1)[0][0]
    note = (f"The headings name more than one city: {', '.join(sorted(named))}.",
            f"The most frequent name, {chosen!r}, is used.")
    return chosen, note if len(named) > 1 else None


def parse_text(text: str, *, city: str | None = None, country: str | None = None,
               source: str | None = None, name: str = "profile text") -> ParseResult:
    """Read a published profile's text into a Profile (``name`` names the text in errors).

    Raises ParseError for text that is empty, too long or not a profile at all.
    """
    if len(text) > MAX_BYTES:
        raise ParseError(f"{name}: {len(text):,} characters is over the limit of {MAX_BYTES:,} "
                         "for a profile text (a published profile is about 10 kB)")
    lines = normalise(text)
    if not any(lines):
        raise ParseError(f"{name}: the text is empty (expected a profile page copied as text)")
    header, sections = split_sections(lines)
    if not sections:
        examples = ", ".join(repr(h.label) for h in HEADINGS[2:5])
        raise ParseError(f"{name}: not a survey profile: none of the known headings was found "
                         f"(expected headings such as {examples})")
    chosen, city_note = _choose_city(sections, city, name)
    reader = _Reader(source or default_source(chosen))
    if city_note:
        named = sorted({c for s in sections if (c := _city_of(s.match))})
        reader.flag("city-name", "city", "ambiguous", *city_note, raw=" / ".join(named))
    reader.header(header)
    if "population" not in reader.fields:
        raise ParseError(f"{name}: no population line such as '653,867 (2019)' before the "
                         "first heading (a profile needs the city's population)")
    seen: set[str] = set()
    for sec in sections:
        if sec.heading.key in seen:
            reader.flag(f"{sec.heading.key}-section-repeated", sec.field, "garbled",
                        f"The heading {sec.locator!r} appears more than once.",
                        "The first section is read; this one is kept here as printed.",
                        raw=" / ".join([sec.printed, *sec.lines]), locator=sec.locator)
            continue
        seen.add(sec.heading.key)
        getattr(reader, f"read_{sec.heading.key}")(sec)
    reader.finish()
    notes = [f"no heading {h.label!r} found; {h.field} left empty" for h in HEADINGS
             if h.key not in seen and h.key not in ("policy_chart", "roles_chart", "website")]
    if "mayor" not in reader.fields:
        notes.append("no mayor found (expected the mayor's name on the first line)")
    if not (country and country.strip()):
        reader.flag("country-missing", "country", "missing",
                    "The profile text does not state the country.",
                    f"Recorded as {NOT_STATED!r}; pass --country or edit the file.",
                    locator=HEADER)
    rounds = sorted(set(_SURVEY_YEAR.findall("\n".join(lines))))
    if not rounds:
        notes.append("no survey round (2018 or 2020) named in the text; survey_rounds left empty")
    try:
        profile = Profile(city=chosen, country=(country or "").strip() or NOT_STATED,
                          survey_rounds=rounds, flags=reader.flags, **reader.fields)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise ParseError(f"{name}: the profile read from the text is not valid: {where}: "
                         f"{problem['msg']}") from None
    warnings = [f"{f.field}: {f.detail}" for f in profile.flags] + notes
    return ParseResult(profile, warnings)


# --- files ---------------------------------------------------------------------------------


def decode(raw: bytes, name: str = "profile text") -> str:
    """The text of a file's bytes; refuses empty, binary, UTF-16 and non-UTF-8 input."""
    if len(raw) > MAX_BYTES:
        raise ParseError(f"{name}: {len(raw) / 1e6:.1f} MB is over the limit of "
                         f"{MAX_BYTES / 1e6:.0f} MB for a profile text (a published profile is "
                         "about 10 kB)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(f"{name}: the file is UTF-16 text; save it as UTF-8 and try again")
    head = raw[:8192]
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    if b"\x00" in raw or controls > len(head) // 20:
        raise ParseError(f"{name}: a binary file, not text (expected a profile page copied "
                         "as text)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                         f"{exc.start}); save the page as UTF-8 and try again") from None
    if not text.strip():
        raise ParseError(f"{name}: the file is empty (expected a profile page copied as text)")
    return text


def parse_file(path: str | os.PathLike[str], **options: Any) -> ParseResult:
    """Read a profile text file (see :func:`parse_text` for the options)."""
    p = Path(path)
    if not p.exists():
        raise ParseError(f"{path}: file not found (expected a profile text file)")
    if not p.is_file():
        raise ParseError(f"{path}: not a regular file (expected a profile text file)")
    if p.stat().st_size > MAX_BYTES:
        raise ParseError(f"{p.name}: {p.stat().st_size / 1e6:.1f} MB is over the limit of "
                         f"{MAX_BYTES / 1e6:.0f} MB for a profile text (a published profile is "
                         "about 10 kB)")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ParseError(f"{p.name}: cannot be read ({exc.strerror})") from None
    return parse_text(decode(raw, p.name), name=p.name, **options)


def _tidy(value: Any) -> Any:
    """Data-file layout: ids first, source and locator last, whole numbers without ".0"."""
    if isinstance(value, dict):
        rank = {"id": 0, "source": 2, "locator": 2}
        keys = sorted(value, key=lambda k: rank.get(k, 1))
        return {k: _tidy(value[k]) for k in keys}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_yaml(profile: Profile) -> str:
    """The profile as a data file: fields in model order, empty and default values left out."""
    body = _tidy(profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
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
        raise ParameterError(f"-o: {target.name} exists; pass --force to overwrite it")
    text = to_yaml(profile)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_text(target, text)
    except OSError as exc:
        raise ParameterError(f"-o: {target} cannot be written ({exc.strerror})") from None
    return target


def source_warnings(profile: Profile, root: str | os.PathLike[str] | None = None) -> list[str]:
    """A warning when the profile's source id is not in the bibliography (sources.yaml)."""
    sid = profile.population.source
    where = f"{data.data_dir(root).name}/{data.SOURCES}"
    try:
        known = data.load_sources(root)
    except DataError as exc:
        return [f"source id {sid!r} could not be checked: {exc.problems[0]}"]
    if sid in known:
        return []
    return [f"source id {sid!r} is not in {where}: add an entry with this id (title, "
            "publisher, url, date, kind: city-profile) before loading the profile"]
