"""Stage 2 of reading a profile page: the page's layout, cut into its header and sections.

:func:`split_page` tells the two renderings apart. A *full* page is cut at its headings (the
survey template of :mod:`city_innovation.survey.sections`); a *compact* rendering (no headings)
is cut by its structure: the repeated block of aims and success factors, the header lines, and
the kind of each later line (survey sentences, the survey's answer options of
:mod:`city_innovation.survey.options`). The sentence patterns that place a line in a section are
public here because the readers use them again to read the facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...survey import options
from ...survey.sections import HEADINGS, MAX_HEADING, Heading, field_of
from .text import EG, is_sentence

FULL, COMPACT = "full", "compact"
HEADER = "profile header"
"""The locator of what the page prints before its first section (city, leader, population)."""

#: Survey sentences that place a line in a section wherever it is printed.
EXPLICIT = re.compile(r"\bexplicit innovation strateg", re.IGNORECASE)
APPROACH = re.compile(r"\bapproach(?:es)? innovation capacity\s+(.+)$", re.IGNORECASE)
DEDICATED = re.compile(r"\bdedicated funding\b", re.IGNORECASE)


@dataclass
class Section:
    """A part of the page: its key (see :data:`~city_innovation.survey.sections.ORDER`), how
    to cite it, and its lines."""

    key: str
    locator: str
    lines: list[str]
    city: str | None = None
    number: int | None = None
    printed: str = ""

    @property
    def field(self) -> str:
        """The Profile field the section fills."""
        return field_of(self.key)


@dataclass
class Page:
    """The page cut into its header lines and sections."""

    rendering: str
    header: list[str]
    sections: list[Section]
    cut: str | None = None


def _match_heading(line: str) -> tuple[Heading, re.Match[str]] | None:
    if len(line) > MAX_HEADING:
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
                    if is_sentence(x) or ("," in x and _TEAM_LINE.search(x))]
            if team:
                sec.lines = [x for x in sec.lines if x not in team]
                out.append(Section("team", "innovation team paragraph (after the roles)", team))
    return header, out


POP_LINE = re.compile(r"(?:population:?\s*)?(?P<num>\d[\d,. ]{0,20}\d|\d)"
                       r"(?:\s*(?P<million>million|mn))?\s*(?:\((?P<year>(?:19|20)\d\d)\))?",
                       re.IGNORECASE)
NONE_PRIORITISED = re.compile(r"\bdoes not priori[tz]i[sz]e (?:any )?policy (?:sectors|areas)",
                               re.IGNORECASE)
_FUNDING_LINE = re.compile(r"\bdedicated funding\b|\bfunded\b|\bfunding\b|\binvests? in\b",
                           re.IGNORECASE)
_PARTNER_LINE = re.compile(r"\bpartnerships?\b", re.IGNORECASE)
_ACTIVITY_LINE = re.compile(r"\binnovation activities\b", re.IGNORECASE)
ROLES_SENTENCE = re.compile(r"\butili[sz]es (?P<n>\d{1,3}) (?:different )?innovation skills? "
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
    prose = cut or is_sentence(line)
    if APPROACH.search(line) or EXPLICIT.search(line):
        return "vision"
    if not seen_vision:
        return "spotlight"
    if NONE_PRIORITISED.search(line):
        return "policy_areas"
    if ROLES_SENTENCE.search(line):
        return "roles"
    if options.activity_option(line) or EG.match(line) or _ACTIVITY_LINE.search(line):
        return "activities"
    if _PARTNER_LINE.search(line):
        return "partnerships"
    if DEDICATED.search(line) or _FUNDING_LINE.search(line):
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
    pop = next((i for i, x in enumerate(text) if POP_LINE.fullmatch(x)), None)
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
