"""Read a city's profile as published on the survey site (copied as text) into a Profile.

A pipeline in four steps, each a function of this module:

1. :func:`normalise` cleans the text into lines, and :func:`cut_line` finds the line a cut-off
   page stops in (most published copies stop mid-sentence).
2. :func:`split_page` tells the two renderings apart and cuts the page into :class:`Section` s:
   a *full* page at its headings (:data:`HEADINGS`), a *compact* rendering (no headings) by its
   structure: the repeated block of aims and success factors, the header lines, and the kind of
   each later line (survey sentences, the survey's answer options of :mod:`.options`).
3. One small reader per section (:data:`READERS`) fills the fields of a :class:`Draft`;
   sentences that state a fact wherever the layout put them (survey shares, funding uses,
   partnerships) are read by sentence patterns in any section.
4. :func:`assemble` builds the Profile and the flags.

Nothing is dropped silently: text that cannot be placed, garbled parts and cut-off items
become :class:`~.models.Flag` records with the raw text, and a warning each. All patterns work on
single lines with bounded repetitions, so the work grows linearly with the text; the text itself
is limited to :data:`MAX_BYTES`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

from . import data, files
from .errors import DataError, ParameterError, ParseError
from .store.models import (
    Activities,
    Activity,
    AreaStatus,
    DataAvailability,
    DedicatedFunding,
    Flag,
    FundedActivities,
    FundedCount,
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
    Source,
    StrategyAnswer,
    SurveyShare,
    Team,
    Teams,
)
from .survey import options

MAX_BYTES = 1_000_000
"""Largest profile text accepted (a published profile is about 10 kB)."""

HEADER = "profile header"
ROUNDS = ("2018", "2020")
FULL, COMPACT = "full", "compact"


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
       rf"(?:{_CITY} utili[sz]es (?P<n>\d{{1,3}}) (?:different )?)?innovation skills? or roles?:?"),
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
_BY_KEY = {h.key: h for h in HEADINGS}

#: Sections a page has, in the order the survey template prints them ("team" is the
#: paragraph on the innovation team after the roles, "partnerships" the partnership sentences).
ORDER: tuple[str, ...] = (
    "helps_to", "success_factors", "officers", "spotlight", "vision", "policy_areas", "roles",
    "team", "terms", "activities", "funding", "funding_sources", "funded_activities",
    "partnerships", "data_availability")
#: Section keys that are parts of another section in :data:`ORDER`.
PART_OF = {"website": "officers", "policy_chart": "policy_areas", "roles_chart": "roles",
           "measured": "partnerships"}

# --- text clean-up ---------------------------------------------------------------------------

_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\u2028": "\n", "\u2029": "\n",
})
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
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
    r"\b((?:[A-Z][\w&/'-]{0,40}\s(?:(?:and|of|for)\s)?){1,6}[Tt]eam),?\s+(?:has|had|have|"
    r"employs|consists of|made up of)\s+(\d{1,6})\s+(?:staff|employees|people|members)\b"
    r"|\b((?:[A-Z][\w&/'-]{0,40}\s){1,6})staff of (\d{1,6})\b")
_POSSESSIVE = re.compile(r"^(?:The\s+|[A-Z][\w.-]{0,40}'s\s+)")
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


# --- step 1: the cut-off line --------------------------------------------------------------

_ENDS_COMPLETE = re.compile(r"[.!?:)\"'*]$")


def cut_line(text: str, lines: list[str]) -> int | None:
    """Index of the line the page stops in, when it stops mid-line (else None).

    A copied page that ends without a line break and without closing punctuation stops in its
    last line: that item or sentence is incomplete.
    """
    if text.endswith(("\n", "\r")) or not lines:
        return None
    last = max((i for i, line in enumerate(lines) if line), default=None)
    if last is None or _ENDS_COMPLETE.search(lines[last]) or options.is_label(lines[last]):
        return None
    return last


def _complete_part(line: str) -> str:
    """What a cut line says before its incomplete last word."""
    return re.sub(r"\s*\S*$", "", line.rstrip()) if " " in line.strip() else ""


# --- step 2: sections ----------------------------------------------------------------------


@dataclass
class Section:
    """A part of the page: its key (see :data:`ORDER`), how to cite it, and its lines."""

    key: str
    locator: str
    lines: list[str]
    city: str | None = None
    number: int | None = None
    printed: str = ""

    @property
    def field(self) -> str:
        return _BY_KEY[self.key].field if self.key in _BY_KEY else self.key


@dataclass
class Page:
    """The page cut into its header lines and sections."""

    rendering: str
    header: list[str]
    sections: list[Section]
    cut: str | None = None


def _match_heading(line: str) -> tuple[Heading, re.Match[str]] | None:
    if len(line) > _MAX_HEADING:
        return None
    for h in HEADINGS:
        if m := h.pattern.fullmatch(line):
            return h, m
    return None


def _city_of(match: re.Match[str]) -> str | None:
    city = match.groupdict().get("city")
    return city.strip().removesuffix("'").strip() if city else None


_TEAM_LINE = re.compile(
    r"\b(?:teams?|sub-teams?|staff|innovation work|work for innovation|led by)\b",
    re.IGNORECASE)


def split_full(lines: list[str]) -> tuple[list[str], list[Section]]:
    """A full page: the header (lines before the first heading) and a section per heading.

    The paragraph on the innovation team, printed after the roles, becomes its own section.
    """
    header: list[str] = []
    sections: list[Section] = []
    for line in lines:
        found = _match_heading(line) if line else None
        if found:
            h, m = found
            n = m.groupdict().get("n")
            sections.append(Section(h.key, line.rstrip(":").strip(), [], _city_of(m),
                                    int(n) if n else None, line))
        elif line:
            (sections[-1].lines if sections else header).append(line)
    out: list[Section] = []
    for sec in sections:
        out.append(sec)
        if sec.key in ("roles", "roles_chart"):
            team = [x for x in sec.lines
                    if _is_sentence(x) or ("," in x and _TEAM_LINE.search(x))]
            if team:
                sec.lines = [x for x in sec.lines if x not in team]
                out.append(Section("team", "innovation team paragraph (after the roles)", team))
    return header, out


_POP_LINE = re.compile(r"(?:population:?\s*)?(?P<num>\d[\d,. ]{0,20}\d|\d)"
                       r"(?:\s*(?P<million>million|mn))?\s*(?:\((?P<year>(?:19|20)\d\d)\))?",
                       re.IGNORECASE)
_STRATEGY_CLAUSE = re.compile(
    r"(?:^|, )(?P<city>[^,]{1,80}?) (?:has|does not have|doesn't have|lacks) an explicit "
    r"innovation strateg|^(?P<city2>[^,]{1,80}?) approaches innovation capacity|, (?P<city3>"
    r"[^,]{1,80}?) approaches innovation capacity|, (?P<city4>[^,]{1,80}?) (?:has|does not have)"
    r" dedicated funding|^(?P<city5>[A-Z][^,.]{1,60}?) has developed (?:data )?partnerships|"
    r"(?:^|, )(?P<city6>[A-Z][^,.']{1,60}?)'s (?:dedicated (?:innovation )?team|innovation "
    r"work|funding for innovation)", re.IGNORECASE)
_NONE_PRIORITISED = re.compile(r"\bdoes not priori[tz]i[sz]e (?:any )?policy (?:sectors|areas)",
                               re.IGNORECASE)
_FUNDING_LINE = re.compile(r"\bdedicated funding\b|\bfunded\b|\bfunding\b|\binvests? in\b",
                           re.IGNORECASE)
_PARTNER_LINE = re.compile(r"\bpartnerships?\b", re.IGNORECASE)
_ACTIVITY_LINE = re.compile(r"\binnovation activities\b", re.IGNORECASE)
_ROLES_SENTENCE = re.compile(r"\butili[sz]es (?P<n>\d{1,3}) (?:different )?innovation skills? "
                             r"or roles?", re.IGNORECASE)
#: Phrases that open a section; a cut line ending in the first part of one reached it.
_LANDMARKS = {"partnerships": ("developed partnerships", "data partnerships"),
              "team": ("dedicated team for innovation", "dedicated innovation team"),
              "funding": ("has dedicated funding",)}


def _landmark_prefix(fragment: str) -> str | None:
    """The section whose opening phrase a cut fragment ends in (8 characters at least)."""
    low = fragment.casefold().rstrip()
    for key, phrases in _LANDMARKS.items():
        for phrase in phrases:
            if any(low.endswith(phrase[:k]) for k in range(len(phrase), 7, -1)):
                return key
    return None


#: On a compact rendering, bare list items after these sections open the next list the
#: template prints there: policy areas after the vision sentences, terms after the team.
_BARE_AFTER = {"vision": "policy_areas", "team": "terms"}


def _compact_kind(line: str, seen_vision: bool, current: str = "",
                  cut: bool = False) -> str | None:
    """The section a line of a compact rendering belongs to, or None (the current one); a cut
    line counts as prose."""
    prose = cut or _is_sentence(line)
    if _APPROACH.search(line) or _EXPLICIT.search(line):
        return "vision"
    if not seen_vision:
        return "spotlight"
    if _NONE_PRIORITISED.search(line):
        return "policy_areas"
    if _ROLES_SENTENCE.search(line):
        return "roles"
    if options.activity_option(line) or _EG.match(line) or _ACTIVITY_LINE.search(line):
        return "activities"
    if _PARTNER_LINE.search(line):
        return "partnerships"
    if _DEDICATED.search(line) or _FUNDING_LINE.search(line):
        return "funding"
    if _TEAM_LINE.search(line) and prose:
        return "team"
    if not prose and current in _BARE_AFTER:
        return _BARE_AFTER[current]
    return None


_COMPACT_LOCATORS = {
    "helps_to": "Innovation is helping to", "success_factors": "Critical success factors",
    "officers": "Lead Innovation Officers", "spotlight": "spotlight",
    "vision": "Vision and approach to innovation capacity", "policy_areas": "policy areas",
    "roles": "innovation skills or roles", "team": "innovation team paragraph",
    "activities": "innovation activities", "funding": "How is innovation funded here?",
    "partnerships": "partnership sentences"}


def _split_block(block: list[str]) -> tuple[list[str], list[str]]:
    """The aims and the success factors of the compact rendering's first block."""
    for i, item in enumerate(block):
        if options.success_factor(item) and not options.aim(item):
            return block[:i], block[i:]
    return block, []


def split_compact(lines: list[str], cut: int | None) -> tuple[list[str], list[Section]]:
    """A compact rendering: the aims and success factors printed first (then again after the
    header), country, leader, population, officers, then prose and bare list items."""
    text = [x for x in lines if x]
    pop = next((i for i, x in enumerate(text) if _POP_LINE.fullmatch(x)), None)
    start = pop + 1 if pop is not None else 1
    repeat = next((j for j in range(start, len(text)) if text[j] == text[0]), None)
    if pop is None and (repeat is None or not options.is_label(text[0])):
        return [], []
    end = pop if pop is not None else repeat   # the header ends at the population line
    size = 0
    if repeat is not None:
        while (size < end and repeat + size < len(text)
               and text[repeat + size] == text[size]):
            size += 1
    else:   # the block is not repeated: take the items that are survey options
        while size < end and (options.aim(text[size]) or options.success_factor(text[size])):
            size += 1
    block = text[:size]
    header = text[size:pop + 1] if pop is not None else text[size:repeat]
    officers = text[pop + 1:repeat] if pop is not None and repeat is not None else []
    body = text[repeat + size:] if repeat is not None else text[end + 1:]
    aims, factors = _split_block(block)
    sections: list[Section] = []

    def add(key: str, items: list[str]) -> None:
        if sections and sections[-1].key == key:
            sections[-1].lines.extend(items)
        else:
            sections.append(Section(key, _COMPACT_LOCATORS.get(key, key), list(items)))

    for key, items in (("helps_to", aims), ("success_factors", factors), ("officers", officers)):
        if items:
            add(key, items)
    seen_vision = False
    current = "spotlight"
    last = text[-1] if cut is not None and text else None
    for line in body:
        kind = _compact_kind(line, seen_vision, current, cut=line is last)
        if line is last and kind is None:
            kind = _landmark_prefix(line)
        if kind == "vision":
            seen_vision = True
        current = kind or current
        add(current, [line])
    return header, sections


def split_page(lines: list[str], cut: int | None) -> Page:
    """The page's rendering, header and sections."""
    header, sections = split_full(lines)
    if sections:
        return Page(FULL, header, sections)
    header, sections = split_compact(lines, cut)
    return Page(COMPACT, header, sections)


# --- step 3: the readers -------------------------------------------------------------------


@dataclass
class Draft:
    """What the readers have found so far: fields of the profile and flags."""

    source: str
    cut: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    ids: Counter[str] = field(default_factory=Counter)
    strategy: list[StrategyAnswer] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)
    quoted: list[QuotedUse] = field(default_factory=list)
    round_only: list[RoundOnlyOption] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    data_partners: list[Partner] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    at: dict[str, str] = field(default_factory=dict)

    def flag(self, fid: str, fld: str, problem: Problem, detail: str, decision: str, *,
             raw: str | None = None, locator: str | None = None) -> None:
        """Record a flag; a repeated id is numbered from 2."""
        base = fid.replace("_", "-")
        self.ids[base] += 1
        fid = base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"
        self.flags.append(Flag(id=fid, field=fld, problem=problem, detail=detail,
                               decision=decision, raw=raw, source=self.source, locator=locator))

    def cite(self, where: Section | str) -> dict[str, str]:
        return {"source": self.source,
                "locator": where.locator if isinstance(where, Section) else where}


def _unplaced(d: Draft, sec: Section | None, lines: list[str]) -> None:
    if not lines:
        return
    where = f"under {sec.locator!r}" if sec else "before the first heading"
    d.flag(f"{sec.key if sec else 'header'}-unplaced", sec.field if sec else "profile",
           "ambiguous", f"Text {where} that could not be placed in any field.",
           "Kept here as printed for review; no field was filled from it.",
           raw=" / ".join(lines), locator=sec.locator if sec else HEADER)


def _set_once(d: Draft, name: str, value: Any, sec: Section, raw: str) -> None:
    if name in d.fields:
        d.flag(f"{name}-repeated", name, "contradictory",
               f"The text states {name.replace('_', ' ')} more than once.",
               "The first statement is kept; this one is recorded here.",
               raw=raw, locator=sec.locator)
    else:
        d.fields[name] = value


def _dedupe(d: Draft, items: list[str], sec: Section) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    if len(seen) < len(items):
        d.flag(f"{sec.field}-repeated", sec.field, "garbled",
               f"Labels under {sec.locator!r} are printed more than once.",
               "Each label is recorded once.", raw=" / ".join(items), locator=sec.locator)
    return list(seen.values())


def _drop_cut(d: Draft, items: list[str], sec: Section) -> list[str]:
    """The items without the one the page stops in (flagged, never stored)."""
    if d.cut is None or d.cut not in items:
        return items
    d.flag(f"{sec.key}-cut-item", sec.field, "missing",
           f"The text stops inside the last item under {sec.locator!r}.",
           "The incomplete item is left out.", raw=d.cut, locator=sec.locator)
    return [x for x in items if x is not d.cut]


# sentences found anywhere ------------------------------------------------------------------


def _share(text: str) -> SurveyShare | None:
    m = _IN_ROUND.search(text)
    year = m["year"] if m and m["year"] in ROUNDS else None
    wording = (text[:m.start()] + text[m.end():]).strip() if m and year else text.strip()
    pm = _PERCENT.search(wording)
    value = float(pm[1]) if pm and float(pm[1]) <= 100 else None
    return SurveyShare(value=value, wording=wording, survey_round=year) if wording else None


def _approach_answer(text: str) -> str:
    """The approach in the data files' words (options.APPROACHES), else as printed."""
    kind = options.approach(text)
    return options.APPROACHES.get(kind, text.rstrip(" .*"))


def _comparison(s: str, sec: Section, d: Draft) -> bool:
    m = _COMPARISON.match(s)
    share = _share(m["share"]) if m else None
    if not m or share is None:
        if (a := _APPROACH.search(s)) and not _COMPARISON.match(s):
            d.strategy.append(StrategyAnswer(question="approach to innovation capacity",
                                             answer=_approach_answer(a[1]), **d.cite(sec)))
            return True
        return False
    clause = m["clause"]
    if _EXPLICIT.search(clause):
        answer = "no" if _NEGATION.search(clause) else "yes"
        d.strategy.append(StrategyAnswer(question="explicit innovation strategy", answer=answer,
                                         survey_share=share, **d.cite(sec)))
    elif a := _APPROACH.search(clause):
        d.strategy.append(StrategyAnswer(question="approach to innovation capacity",
                                         answer=_approach_answer(a[1]), survey_share=share,
                                         **d.cite(sec)))
    elif _DEDICATED.search(clause):
        has = not _NEGATION.search(clause)
        _set_once(d, "dedicated_funding", DedicatedFunding(
            has_dedicated_funding=has, survey_share=share, **d.cite(sec)), sec, s)
    elif q := _QUOTED_USE.search(clause):
        d.quoted.append(QuotedUse(use=_capitalise(q[1].rstrip(" .*")), survey_share=share))
        d.at.setdefault("funding_use", sec.locator)
    else:
        return False
    return True


def _funding_uses(s: str, sec: Section, d: Draft) -> bool:
    m = _USES.search(s)
    if m:
        d.uses += _split_list(m[1])
        d.at.setdefault("funding_use", sec.locator)
    return bool(m)


def _round_only(s: str, sec: Section, d: Draft) -> bool:
    other = {"2018": "2020", "2020": "2018"}
    found = [(opt.strip(" *"), other[y]) for opt, y in _ROUND_ONLY.findall(s) if y in other]
    d.round_only += [RoundOnlyOption(option=o, survey_round=r) for o, r in found]
    if found:
        d.at.setdefault("funding_use", sec.locator)
    return bool(found)


def _partners(s: str, sec: Section, d: Draft) -> bool:
    m = _PARTNERS.search(s)
    if not m:
        return False
    for item in _split_list(m[2]):
        if m[1] and item.lower().startswith("to "):
            d.purposes.append(item[3:].strip())
            continue
        name, examples = _named(re.sub(r"^the\s+", "", item, flags=re.IGNORECASE))
        (d.data_partners if m[1] else d.partners).append(Partner(name=name, examples=examples))
    d.at.setdefault("partnerships", sec.locator)
    return True


def _policy_none(s: str, sec: Section, d: Draft) -> bool:
    if not _NONE_PRIORITISED.search(s):
        return False
    d.fields["policy_areas_status"] = "none_prioritised"
    return True


SENTENCE_READERS: tuple[Callable[[str, Section, Draft], bool], ...] = (
    _comparison, _funding_uses, _round_only, _policy_none, _partners)
"""Readers of sentences that state a fact in whatever section they are printed."""


def _claim(line: str, sec: Section, d: Draft) -> str | None:
    """Read the sentences of a line that state known facts; return the rest (or None)."""
    if line is d.cut:
        line = _complete_part(line)
        if not line:
            return None
    sentences = _SENTENCE_END.split(line)
    rest = [s for s in sentences if not any(read(s, sec, d) for read in SENTENCE_READERS)]
    if not rest:
        return None
    return line if len(rest) == len(sentences) else " ".join(rest)


def _claim_all(lines: Iterable[str], sec: Section, d: Draft) -> list[str]:
    return [rest for line in lines if (rest := _claim(line, sec, d)) is not None]


def _items(sec: Section, d: Draft) -> list[str]:
    """Labels of a list section; prose in it is read as sentences or kept as unplaced."""
    labels = _drop_cut(d, [x for x in sec.lines if not _is_sentence(x)], sec)
    _unplaced(d, sec, _claim_all((x for x in sec.lines if _is_sentence(x)), sec, d))
    return _dedupe(d, labels, sec)


# section readers ---------------------------------------------------------------------------


def read_items(sec: Section, d: Draft) -> None:
    """Aims, success factors and terms: one label a line."""
    labels = _items(sec, d)
    if labels:
        d.fields[sec.field] = Items(items=labels, **d.cite(sec))


def read_website(sec: Section, d: Draft) -> None:
    lines = _items(sec, d)
    if lines:
        d.flag("innovation-website", "innovation_website", "ambiguous",
               "The profile model has no field for the innovation website.",
               "The address is kept here as printed.", raw=" / ".join(lines),
               locator=sec.locator)
    else:
        d.flag("innovation-website-missing", "innovation_website", "missing",
               'The label "Innovation Website" appears without an address.',
               "No website recorded.", locator=sec.locator)


def read_officers(sec: Section, d: Draft) -> None:
    lines = _drop_cut(d, [x for x in sec.lines if _name_like(x)], sec)
    _unplaced(d, sec, [x for x in sec.lines if not _name_like(x)])
    names = [n for line in lines for n in _NAME_SEP.split(line) if n]
    if names:
        d.fields["innovation_officers"] = People(names=names, **d.cite(sec))


def read_prose(sec: Section, d: Draft) -> None:
    """Sections of sentences only (the vision, the funding heading)."""
    _unplaced(d, sec, _claim_all(sec.lines, sec, d))


def read_spotlight(sec: Section, d: Draft) -> None:
    rest = _claim_all(sec.lines, sec, d)
    if rest:
        d.flag("spotlight-text", "spotlight", "ambiguous",
               "The spotlight is free text; its project name, summary and figures are "
               "not read automatically.",
               "Kept here as printed; write the spotlight field from it by hand.",
               raw=" / ".join(rest), locator=sec.locator)


def read_chart(sec: Section, d: Draft) -> None:
    rest = _claim_all(_drop_cut(d, sec.lines, sec), sec, d)
    what = "policy-areas" if sec.key == "policy_chart" else "roles"
    if rest:
        d.flag(f"{what}-chart", sec.field, "ambiguous",
               f"The chart {sec.locator!r} prints survey-wide figures that have no "
               "field in a city profile.",
               "Kept here as printed; survey-wide figures belong in survey/benchmarks.csv.",
               raw=" / ".join(rest), locator=sec.locator)
    else:
        d.flag(f"{what}-chart-lost", sec.field, "missing",
               f"The chart {sec.locator!r} kept its title but lost its data.",
               "No survey-wide counts are read from the profile for this chart.",
               locator=sec.locator)


def read_policy_areas(sec: Section, d: Draft) -> None:
    """The listed areas, their descriptions ("Area: text"), or the city's answer that it does
    not prioritise policy sectors."""
    names: list[str] = []
    described: list[tuple[str, str]] = []
    texts_of: dict[str, list[str]] = {}
    rest: list[str] = []
    for line in sec.lines:
        m = _DESCRIPTION.match(line)
        if m and (m[1].casefold() in texts_of or _is_sentence(m[2]) or line is d.cut):
            described.append((m[1].strip(), m[2]))
            texts_of.setdefault(m[1].strip().casefold(), []).append(m[2])
        elif _is_sentence(line):
            rest.append(line)
        else:
            names.append(line)
            texts_of.setdefault(line.casefold(), [])
    _unplaced(d, sec, _claim_all(rest, sec, d))
    names = _dedupe(d, _drop_cut(d, names, sec), sec)
    areas = []
    for name in names:
        texts = texts_of.get(name.casefold(), [])
        goals = [Goal(label=_GOAL_VERB.sub("", g[1]).strip(), target_year=int(g[2]))
                 for t in texts for g in _GOAL.finditer(t)]
        means = [m for t in texts for s in _SENTENCE_END.split(t)
                 if (such := _SUCH_AS.search(s)) for m in _split_list(such[1])]
        areas.append(PolicyArea(name=name, goals=goals, means=means, **d.cite(sec)))
    if areas:
        d.fields["policy_areas"] = areas
        d.fields["policy_areas_status"] = "listed"
    elif "policy_areas_status" not in d.fields:
        d.fields["policy_areas_status"] = "prose_only" if described or rest else "empty"
    if described:
        d.flag("policy-areas-text", "policy_areas", "ambiguous",
               "The descriptions of the policy areas are free text; only goals with a "
               "target year and 'such as' lists of means were read from them.",
               "The descriptions are kept here as printed for review.",
               raw=" / ".join(f"{n}: {t}" for n, t in described), locator=sec.locator)


def read_roles(sec: Section, d: Draft) -> None:
    """The roles listed under "<city> utilizes N ... roles" (or a heading without a number)."""
    listed = _items(sec, d)
    stated = sec.number
    for line in sec.lines:   # a compact rendering states the number in a sentence
        if stated is None and (m := _ROLES_SENTENCE.search(line)):
            stated = int(m["n"])
    if stated is not None and sec.key == "roles" and sec.number is None:
        listed = [x for x in listed if not _ROLES_SENTENCE.search(x)]
    d.fields["roles"] = Roles(stated_count=stated, listed=listed, **d.cite(sec))
    if stated is not None and stated != len(listed):
        d.flag("roles-count", "roles.stated_count", "contradictory",
               f"The heading states {stated} innovation skills or roles; "
               f"{len(listed)} are listed under it.",
               "Both kept: the stated count and the listed roles.",
               raw=sec.locator, locator=sec.locator)


_NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"))}
_N = r"(\d{1,3}(?:,\d{3})+|\d{1,6}|" + "|".join(_NUMBER_WORDS) + r")"
_AT_LEAST = r"(?:(more than|over|at least|some|around|about|nearly|almost)\s+)?"
_STAFF = re.compile(
    rf"{_AT_LEAST}\b{_N}\s+(?:full-time\s+)?(?:staff(?:\s+members)?|employees|people|"
    rf"members|officers|persons)\b|\bstaff of\s+{_N}\b|\bteam of\s+{_N}\b", re.IGNORECASE)
_TEAM_COUNT = re.compile(rf"{_AT_LEAST}\b{_N}\s+(?:sub-?teams|teams|units)\b", re.IGNORECASE)
_INDEPENDENT = re.compile(r"^as an? independent (team|department|body|unit|office)\b",
                          re.IGNORECASE)


def _number(word: str) -> int:
    digits = word.replace(",", "")
    return int(digits) if digits.isdigit() else _NUMBER_WORDS[word.casefold()]


def read_team(sec: Section, d: Draft) -> None:
    """The innovation team paragraph: named teams, where the team sits, its staff (where one
    figure is given), how many teams it has, and divisions with their own teams."""
    text = " ".join(x if x is not d.cut else _complete_part(x) for x in sec.lines)
    named = [Team(name=_POSSESSIVE.sub("", (m[1] or m[3]).strip()), staff=int(m[2] or m[4]))
             for m in _TEAM.finditer(text)]
    figures = [(m[1] or "", next(g for g in m.groups()[1:] if g)) for m in _STAFF.finditer(text)]
    counts = [_number(m[2]) for m in _TEAM_COUNT.finditer(text)]
    location = None
    if loc := _LOCATED.match(text):
        location = loc[1].strip()
    elif ind := _INDEPENDENT.match(text):
        location = f"independent {ind[1].lower()}"
    if named and location:
        named[0].location = location
    divisions = None
    for s in _SENTENCE_END.split(text):
        if m := _DIVISIONS.match(s):
            words = m[1].strip()
            divisions = words[:1].lower() + words[1:] if words[1:2].islower() else words
    staff = _number(figures[0][1]) if len(figures) == 1 else None
    if not (named or figures or counts or location or divisions):
        _unplaced(d, sec, [x for x in sec.lines if x is not d.cut])
        return
    d.fields["teams"] = Teams(
        teams=named, divisions_with_own_team=divisions, staff=staff,
        staff_at_least=staff is not None and figures[0][0].casefold() in (
            "more than", "over", "at least"),
        team_count=counts[0] if len(counts) == 1 and counts[0] > 0 else None,
        location=location, **d.cite(sec))
    if len(figures) > 1:
        d.flag("teams-staff", "teams.staff", "ambiguous",
               "The team paragraph gives more than one staff figure.",
               "No single staff figure is recorded; named teams are kept with their staff.",
               raw=" / ".join(f"{q} {n}".strip() for q, n in figures), locator=sec.locator)


def read_activities(sec: Section, d: Draft) -> None:
    """The city's own activities (each with an "e.g." line) and the numbered survey options;
    on a compact rendering the options are printed without their numbers."""
    common: list[tuple[str, list[str]]] = []
    ranking: list[tuple[int, str]] = []
    pending: int | None = None
    rest: list[str] = []
    lines = _drop_cut(d, sec.lines, sec)
    unnumbered = _unnumbered(lines)
    for line in lines:
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
        elif unnumbered and options.activity_option(line):
            ranking.append((len(ranking) + 1, line))
        elif ranking or eg or _is_sentence(line):
            rest.append(line)
        else:
            common.append((line, []))
    _unplaced(d, sec, _claim_all(rest, sec, d))
    _activities(common, ranking, sec, d)


def _unnumbered(lines: list[str]) -> bool:
    """Whether the section prints the survey options without numbers (three or more in a row)."""
    run = best = 0
    for line in lines:
        run = run + 1 if options.activity_option(line) else 0
        best = max(best, run)
    return best >= 3 and not any(_RANK_ONLY.fullmatch(x) for x in lines)


def _activities(common: list[tuple[str, list[str]]], ranking: list[tuple[int, str]],
                sec: Section, d: Draft) -> None:
    labels = list(dict.fromkeys(label for _, label in ranking))[:100]
    ranks = [r for r, _ in ranking]
    if ranking and len(set(ranks)) < len(ranks):
        d.flag("activities-ranking", "activities.ranking", "garbled",
               "The numbered list of activities repeats a number.",
               "The numbers are kept as printed.",
               raw=" / ".join(f"{r}. {label}" for r, label in ranking), locator=sec.locator)
    printed = {options.key(label): label for label in labels}
    found, unmatched = [], []
    for name, examples in common:
        option = (_best_option(name, labels)
                  or _best_option(name, list(options.ACTIVITY_OPTIONS)))
        option = printed.get(options.key(option), option) if option else None
        if option is None:
            unmatched.append(name)
        found.append(Activity(name=name, survey_option=option, examples=examples))
    if unmatched:
        d.flag("activities-unmatched", "activities.common", "ambiguous",
               "These activities share no words with any of the survey's options.",
               "Kept as printed, without a survey option.",
               raw=" / ".join(unmatched), locator=sec.locator)
    d.fields["activities"] = Activities(
        common=found, ranking=[RankedOption(rank=r, label=lab) for r, lab in ranking],
        **d.cite(sec))
def read_funding_sources(sec: Section, d: Draft) -> None:
    blocks: list[list[str]] = []   # each: [label, definition lines..., "e.g. ..."]
    repeated = False
    rest: list[str] = []
    for line in sec.lines:
        known = options.FUNDING_SOURCES.get(re.sub(r"[^a-z]", "", line.lower()))
        if known and blocks and blocks[-1] == [line]:
            repeated = True
        elif known or not (_is_sentence(line) or _EG.match(line)):
            blocks.append([line])
        elif _EG.match(line) and blocks:
            blocks[-1].append(line)
        elif (left := _claim(line, sec, d)) is not None:
            (blocks[-1] if blocks else rest).append(left)
    sources, unknown = [], []
    for label, *text in blocks:
        known = options.FUNDING_SOURCES.get(re.sub(r"[^a-z]", "", label.lower()))
        if known is None:
            unknown.append(" / ".join([label, *text]))
            continue
        examples = [x for t in text if (eg := _EG.match(t)) for x in _examples(eg[1])]
        definition = " ".join(t for t in text if not _EG.match(t))
        sources.append(FundingSource(name=known[0], level=known[1], definition=definition,
                                     examples=examples))
    if unknown:
        d.flag("funding-sources-unknown", "funding_sources", "ambiguous",
                  "Labels that are not among the five funding sources of the survey, so "
                  "no funding level can be given to them.",
                  "Left out of the funding sources; kept here as printed.",
                  raw=" / ".join(unknown), locator=sec.locator)
    _unplaced(d, sec, rest)
    if repeated:
        d.flag("funding-sources-repeated", "funding_sources", "garbled",
                  "Funding-source labels are printed twice in a row.",
                  "Each source is recorded once.", locator=sec.locator)
    if sources:
        d.fields["funding_sources"] = FundingSources(sources=sources, **d.cite(sec))

def read_funded_activities(sec: Section, d: Draft) -> None:
    printed: list[str] = []
    rest: list[str] = []
    for line in sec.lines:
        if _is_sentence(line):
            rest.append(line)
        else:
            printed.append(line)
    _unplaced(d, sec, _claim_all(rest, sec, d))
    if printed:
        _funded(printed, sec, d)

def _funded(printed: list[str], sec: Section, d: Draft) -> None:
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
    d.fields["funded_activities"] = FundedActivities(
        city_funds=city_funds, survey_counts=pairs, **d.cite(sec))
    if garbled:
        d.flag("funded-activities-misaligned", "funded_activities", "garbled",
                  "Labels and counts under this heading do not line up (a label reused "
                  "with two counts, a label without a count, or a count without a label).",
                  "Each count is paired with the label printed just before it; a pair "
                  "that borrows the city's own label is marked not aligned; labels without "
                  "a count keep none; counts without a label are left out.",
                  raw=" / ".join(printed), locator=sec.locator)

def read_measured(sec: Section, d: Draft) -> None:
    rest = _claim_all(sec.lines, sec, d)
    if rest:
        d.flag("measurement-text", "measurement", "ambiguous",
                  "The profile model has no field for how innovation is measured.",
                  "Kept here as printed.", raw=" / ".join(rest), locator=sec.locator)
    else:
        d.flag("measurement-section-empty", "partnerships", "garbled",
                  f"Under the heading {sec.locator!r} the text says nothing on "
                  "measurement (only partnerships, or nothing).",
                  "Partnership sentences are stored as partnerships; no measurement "
                  "answers are recorded.", locator=sec.locator)

def read_data_availability(sec: Section, d: Draft) -> None:
    areas = [x for x in _items(sec, d) if not _LEGEND.fullmatch(x)]
    if areas:
        d.fields["data_availability"] = DataAvailability(
            areas=[AreaStatus(area=a, status="unknown") for a in areas], **d.cite(sec))
        d.flag("data-availability-markers-lost", "data_availability.areas", "missing",
                  "The status markers of the areas (sufficient data or not) do not "
                  "survive in the text.",
                  "Every area gets status 'unknown'.", locator=sec.locator)


READERS: dict[str, Callable[[Section, Draft], None]] = {
    "website": read_website, "officers": read_officers, "helps_to": read_items,
    "success_factors": read_items, "terms": read_items, "spotlight": read_spotlight,
    "vision": read_prose, "funding": read_prose, "partnerships": read_prose,
    "policy_areas": read_policy_areas, "policy_chart": read_chart, "roles_chart": read_chart,
    "roles": read_roles, "team": read_team, "activities": read_activities,
    "funding_sources": read_funding_sources, "funded_activities": read_funded_activities,
    "measured": read_measured, "data_availability": read_data_availability,
}
"""One reader per section key."""


# the header --------------------------------------------------------------------------------

_WELL_FORMED = re.compile(r"\d{1,3}(?:([,. ])\d{3}(?:\1\d{3}){0,3})?|\d{1,10}")
_LEADER_LABEL = re.compile(r"(?:lord |deputy |acting )?(?:mayor|city manager|governor|"
                           r"chief executive|city executive|president|head of [\w ]{2,30})",
                           re.IGNORECASE)


def _name_like(line: str) -> bool:
    """A short label or name ("G. T. Bynum" has full stops but is not a sentence)."""
    return len(line) <= 80 and (len(line.split()) <= 6 or not _is_sentence(line))


@dataclass
class Header:
    """What the lines before the first section say: city, country, leader, population."""

    city: str | None = None
    country: str | None = None
    leader: str | None = None
    title: str | None = None
    population: str | None = None
    rest: list[str] = field(default_factory=list)


def read_header(lines: list[str], city_hint: str | None) -> Header:
    """Title lines (city, country), the leader's label and name, the population.

    The leader is the line before the population; with labels ("Mayor" ... "Population") the
    line before the leader's name is the leader's title; one line before that is the country,
    or the city where it is the city's name; two are the city and the country.
    """
    out = Header()
    lines = [x for x in lines if x]
    pop = next((i for i, x in enumerate(lines) if _POP_LINE.fullmatch(x)), None)
    labelled = any(x.casefold().rstrip(":") == "population" for x in lines)
    before = [x for x in (lines[:pop] if pop is not None else lines)
              if x.casefold().rstrip(":") != "population"]
    if pop is not None:
        out.population = lines[pop]
        out.rest = lines[pop + 1:]
    names = [x for x in before if _name_like(x)]
    out.rest = [x for x in before if x not in names] + out.rest
    if names:
        out.leader = _MAYOR_PREFIX.sub("", names.pop())
        if names and (labelled or _LEADER_LABEL.fullmatch(names[-1])):
            out.title = names.pop()
    if len(names) >= 2:
        out.city, out.country = names[0], names[1]
        out.rest = names[2:] + out.rest
    elif names:
        if city_hint and names[0].casefold() == city_hint.casefold():
            out.city = names[0]
        else:
            out.country = names[0]
    return out


def _population(printed: str, d: Draft) -> Population:
    m = _POP_LINE.fullmatch(printed)
    year = int(m["year"]) if m and m["year"] else None
    num = m["num"].strip() if m else printed
    if m and m["million"] and re.fullmatch(r"\d{1,4}(?:\.\d{1,3})?", num) and float(num) > 0:
        return Population(value=round(float(num) * 1_000_000), year=year, printed=printed,
                          wording=printed, **d.cite(HEADER))
    if _WELL_FORMED.fullmatch(num) and int(re.sub(r"\D", "", num)) > 0:
        return Population(value=int(re.sub(r"\D", "", num)), year=year, printed=printed,
                          **d.cite(HEADER))
    d.flag("population-garbled", "population", "garbled",
           f"The population is printed as {printed!r}, which is not a well-formed number.",
           "Kept as printed; no value is recorded.", raw=printed, locator=HEADER)
    return Population(year=year, printed=printed, **d.cite(HEADER))


# --- step 4: assembly ----------------------------------------------------------------------


@dataclass(frozen=True)
class ParseResult:
    """The profile read from a text, the warnings to show its user, the rendering (full or
    compact) and the last section the text reaches (a key of :data:`ORDER`)."""

    profile: Profile
    warnings: list[str]
    rendering: str = FULL
    last_section: str | None = None


def default_source(city: str) -> str:
    """The source id a parsed profile cites unless told otherwise ("oecd-map-<slug>")."""
    return f"oecd-map-{data.slug(city)}"


def _named_cities(page: Page) -> Counter[str]:
    """City names given by headings, else by the survey sentences ("X has an explicit ...")."""
    named = Counter(s.city for s in page.sections if s.city)
    if named:
        return named
    for sec in page.sections:
        for line in sec.lines:
            for s in _SENTENCE_END.split(line):
                if m := _STRATEGY_CLAUSE.search(s):
                    name = next(g for g in m.groups() if g)
                    named[name.strip()] += 1
    return named


_TITLE = re.compile(r"[^\W\d_][\w .,'()-]{0,60}")


def _choose_city(named: Counter[str], title: str | None, city: str | None,
                 name: str) -> tuple[str, tuple[str, str] | None]:
    """The city's name (given, else the title line, else the most frequent in the headings or
    survey sentences), and the detail and decision of a flag when the page disagrees."""
    if city and city.strip():
        given = city.strip()
        others = sorted(c for c in named if c.casefold() != given.casefold())
        note = (f"The headings name {', '.join(others)}; the name given was {given!r}.",
                "The name given is used.")
        return given, note if others else None
    if title and (named or _TITLE.fullmatch(title)):
        others = sorted(c for c in named if c.casefold() != title.casefold())
        note = (f"The title line names {title!r}, the headings {', '.join(others)}.",
                "The title line's name is used.")
        return title, note if others else None
    if not named:
        raise ParseError(f"{name}: no heading names the city (such as '<city> utilizes N "
                         "different innovation skills or roles'); pass --city NAME")
    chosen = named.most_common(1)[0][0]
    note = (f"The headings name more than one city: {', '.join(sorted(named))}.",
            f"The most frequent name, {chosen!r}, is used.")
    return chosen, note if len(named) > 1 else None


def _spelling(city: str, lines: list[str]) -> list[str]:
    """Words of the text that look like the city's name misspelt (or the name misspelt)."""
    names = {w for w in re.findall(r"[A-Z][\w-]{4,}", city)}
    seen: set[str] = set()
    for line in lines:
        for word in re.findall(r"\b[A-Z][\w-]{4,}\b", line):
            if word in names or word in seen:
                continue
            if any(difflib.SequenceMatcher(None, word, n).ratio() >= 0.85 for n in names):
                seen.add(word)
    return sorted(seen)


def _last_section(page: Page) -> str | None:
    keys = [PART_OF.get(s.key, s.key) for s in page.sections
            if s.lines or s.key not in ("team",)]
    return keys[-1] if keys else None


def assemble(page: Page, d: Draft, head: Header, chosen: str, country: str | None,
             lines: list[str]) -> tuple[Profile, list[str]]:
    """The Profile from what the readers found; the notes to show besides the flags."""
    notes: list[str] = []
    if d.strategy:
        d.fields["strategy"] = d.strategy
    if d.uses or d.quoted or d.round_only:
        d.fields["funding_use"] = FundingUse(
            uses=d.uses, quoted=d.quoted, round_only_options=d.round_only,
            **d.cite(d.at.get("funding_use", "")))
    if d.partners or d.data_partners:
        d.fields["partnerships"] = Partnerships(
            partners=d.partners, data_partners=d.data_partners, data_purposes=d.purposes,
            **d.cite(d.at.get("partnerships", "")))
    if head.leader:
        d.fields["mayor"] = Person(name=head.leader, title=head.title, **d.cite(HEADER))
    else:
        notes.append("no leader found (expected the mayor's name before the population)")
    if head.population:
        d.fields["population"] = _population(head.population, d)
    else:
        notes.append("no population line such as '653,867 (2019)' found")
    _unplaced(d, None, head.rest)
    page_country = head.country
    given = (country or "").strip() or None
    if page_country and given and given.casefold() != page_country.casefold():
        d.flag("country-given", "country", "contradictory",
               f"The page names the country {page_country!r}; {given!r} was given.",
               "The page's country is kept.", locator=HEADER)
    final_country = page_country or given
    if final_country is None:
        d.flag("country-missing", "country", "missing",
               "The profile text does not state the country.",
               "Left empty; pass --country or edit the file.", locator=HEADER)
    if odd := _spelling(chosen, lines):
        d.flag("city-spelling", "city", "ambiguous",
               f"The page spells the city {chosen!r} in its title or headings and "
               f"{', '.join(repr(w) for w in odd)} elsewhere.",
               f"Recorded as the title and headings print it ({chosen!r}).",
               raw=" / ".join(odd))
    reached = _last_section(page)
    if reached and reached in ORDER and reached != ORDER[-1]:
        found = {PART_OF.get(s.key, s.key) for s in page.sections}
        lacking = [k for k in ORDER[ORDER.index(reached) + 1:] if k not in found]
        if lacking and d.cut is not None:
            d.flag("text-cut-off", "profile", "missing",
                   f"The text stops after the section {reached!r}; it lacks "
                   f"{', '.join(lacking)}.",
                   "Read as far as it goes; the missing sections are left empty.",
                   raw=d.cut)
    rounds = sorted(set(_SURVEY_YEAR.findall("\n".join(lines))))
    if not rounds:
        notes.append("no survey round (2018 or 2020) named in the text; survey_rounds left empty")
    profile = Profile(city=chosen, country=final_country, survey_rounds=rounds,
                      flags=d.flags, **d.fields)
    return profile, notes


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
    cut = cut_line(text, lines)
    page = split_page(lines, cut)
    if not page.sections:
        examples = ", ".join(repr(h.label) for h in HEADINGS[2:5])
        raise ParseError(f"{name}: not a survey profile: none of the known headings was found "
                         f"(expected headings such as {examples}) and it is not a compact "
                         "rendering (aims, success factors, leader, population)")
    named = _named_cities(page)
    hint = named.most_common(1)[0][0] if named else city
    head = read_header(page.header, hint)
    chosen, city_note = _choose_city(named, head.city, city, name)
    try:
        d = Draft(source or default_source(chosen), cut=lines[cut] if cut is not None else None)
        if city_note:
            d.flag("city-name", "city", "ambiguous", *city_note, raw=" / ".join(sorted(named)))
        _read_sections(page, d)
        profile, notes = assemble(page, d, head, chosen, country, lines)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise ParseError(f"{name}: the profile read from the text is not valid: {where}: "
                         f"{problem['msg']}") from None
    seen = {s.key for s in page.sections}
    reached = _last_section(page)
    cut_off = any(f.id == "text-cut-off" for f in profile.flags)

    def before_cut(key: str) -> bool:   # a section after the cut is named by the cut-off flag
        key = PART_OF.get(key, key)
        return not (cut_off and reached in ORDER and key in ORDER
                    and ORDER.index(key) > ORDER.index(reached))

    if page.rendering == FULL:
        notes += [f"no heading {h.label!r} found; {h.field} left empty" for h in HEADINGS
                  if h.key not in seen and before_cut(h.key)
                  and h.key not in ("policy_chart", "roles_chart", "website")]
    warnings = [f"{f.field}: {f.detail}" for f in profile.flags] + notes
    return ParseResult(profile, warnings, page.rendering, _last_section(page))


def _read_sections(page: Page, d: Draft) -> None:
    """Run each section's reader; a repeated section is kept as a flag."""
    seen: set[str] = set()
    for sec in page.sections:
        if sec.key in seen and page.rendering == FULL and sec.key != "team":
            d.flag(f"{sec.key}-section-repeated", sec.field, "garbled",
                   f"The heading {sec.locator!r} appears more than once.",
                   "The first section is read; this one is kept here as printed.",
                   raw=" / ".join([sec.printed or sec.locator, *sec.lines]),
                   locator=sec.locator)
            continue
        seen.add(sec.key)
        READERS[sec.key](sec, d)

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
        raise ParameterError(f"{target.parent.name}/{target.name} exists: pass --force to replace "
                             "it, or -o FILE to write elsewhere")
    text = to_yaml(profile)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_text(target, text)
    except OSError as exc:
        raise ParameterError(f"-o: {target} cannot be written ({exc.strerror})") from None
    return target


def profile_source(profile: Profile) -> str:
    """The source id the profile's records cite (the first one found)."""
    def first(value: Any) -> str | None:
        if isinstance(value, dict):
            if isinstance(value.get("source"), str):
                return value["source"]
            value = list(value.values())
        if isinstance(value, list):
            return next((s for v in value if (s := first(v))), None)
        return None

    return first(profile.model_dump(exclude={"flags"})) or default_source(profile.city)


def source_warnings(profile: Profile, root: str | os.PathLike[str] | None = None) -> list[str]:
    """A warning when the profile's source id is not in the bibliography (sources.yaml)."""
    sid = profile_source(profile)
    where = f"{data.data_dir(root).name}/{data.SOURCES}"
    try:
        known = data.load_sources(root)
    except DataError as exc:
        return [f"source id {sid!r} could not be checked: {exc.problems[0]}"]
    if sid in known:
        return []
    return [f"source id {sid!r} is not in {where}: run parse-profile again with --url URL (the "
            "page's address) to add it, or add an entry with this id (title, publisher, url, "
            "date, kind: city-profile) by hand before loading the profile"]


PUBLISHER = "OECD and Bloomberg Philanthropies"


def source_entry(profile: Profile, url: str) -> str:
    """The bibliography entry of a profile page, as YAML lines of the ``sources`` list."""
    if not re.fullmatch(r"https?://[^\s\"]{1,500}", url):
        raise ParameterError(f"--url: {url!r} is not a web address (allowed: http:// or "
                             "https:// and no spaces)")
    place = f"{profile.city}, {profile.country}" if profile.country else profile.city
    rounds = " and ".join(profile.survey_rounds)
    date = f"survey rounds {rounds}" if rounds else "not stated on the page"
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 - a YAML-safe quote
    return (f"  - id: {profile_source(profile)}\n"
            f"    title: {q(place + ': city profile on the Global Innovation Map')}\n"
            f"    publisher: {PUBLISHER}\n"
            f"    url: {q(url)}\n"
            f"    date: {q(date)}\n"
            "    kind: city-profile\n")


def add_source(profile: Profile, url: str,
               root: str | os.PathLike[str] | None = None) -> Path | None:
    """Append the profile's bibliography entry to sources.yaml unless its id is there.

    The rest of the file is kept byte for byte; the new file is checked and written
    atomically. Returns the file written, or None when the entry existed.
    """
    path = data.data_dir(root) / data.SOURCES
    entry = source_entry(profile, url)
    try:
        old = path.read_text(encoding="utf-8")
        known = {s.get("id") for s in (yaml.safe_load(old) or {}).get("sources") or []}
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise ParameterError(f"--url: {path.name} cannot be read as a bibliography "
                             f"({exc})") from None
    if profile_source(profile) in known:
        return None
    if not re.search(r"^sources:[^\S\n]*$(?![\s\S]*^\S)", old, re.MULTILINE):
        raise ParameterError(f"--url: {path.name} does not end with its 'sources:' list; add "
                             "the entry by hand")
    new = old + ("" if old.endswith("\n") else "\n") + entry
    added = yaml.safe_load(new)["sources"][-1]
    Source.model_validate(added)
    try:
        files.write_text(path, new)
    except OSError as exc:
        raise ParameterError(f"--url: {path} cannot be written ({exc.strerror})") from None
    return path
