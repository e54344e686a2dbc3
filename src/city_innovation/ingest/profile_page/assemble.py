"""Stage 4 of reading a profile page: the Profile, its flags and warnings; the entry points.

:func:`parse_text` runs the stages: the text's lines (:mod:`.text`), the page's sections
(:mod:`.layout`), a reader per section (:mod:`.readers`), then :func:`assemble` builds the
Profile: it chooses the city's name, adds the collected fields, and flags a misspelt city, a
country that disagrees and a page cut off before its last section. :func:`parse_file` reads a
text file first. Nothing is dropped silently: text that cannot be placed, garbled parts and
cut-off items become :class:`~city_innovation.store.models.Flag` records with the raw text, and
a warning each. All patterns work on single lines with bounded repetitions, so the work grows
linearly with the text; the text itself is limited to :data:`~.text.MAX_BYTES`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ...errors import ParseError
from ...store.models import Person, Profile
from ...survey.sections import HEADINGS, ORDER, PART_OF
from ..bibliography import default_source
from .layout import FULL, HEADER, Page, split_page
from .readers import READERS, Header, read_header, read_population
from .sentences import COLLECTED, ROUNDS, Draft, unplaced
from .text import MAX_BYTES, SENTENCE_END, cut_line, decode, normalise

_STRATEGY_CLAUSE = re.compile(
    r"(?:^|, )(?P<city>[^,]{1,80}?) (?:has|does not have|doesn't have|lacks) an explicit "
    r"innovation strateg|^(?P<city2>[^,]{1,80}?) approaches innovation capacity|, (?P<city3>"
    r"[^,]{1,80}?) approaches innovation capacity|, (?P<city4>[^,]{1,80}?) (?:has|does not have)"
    r" dedicated funding|^(?P<city5>[A-Z][^,.]{1,60}?) has developed (?:data )?partnerships|"
    r"(?:^|, )(?P<city6>[A-Z][^,.']{1,60}?)'s (?:dedicated (?:innovation )?team|innovation "
    r"work|funding for innovation)", re.IGNORECASE)
_SURVEY_YEAR = re.compile(rf"\b({'|'.join(ROUNDS)}) (?:survey|round)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParseResult:
    """The profile read from a text, the warnings to show its user, the rendering (full or
    compact) and the last section the text reaches (a key of
    :data:`~city_innovation.survey.sections.ORDER`)."""

    profile: Profile
    warnings: list[str]
    rendering: str = FULL
    last_section: str | None = None


def _named_cities(page: Page) -> Counter[str]:
    """City names given by headings, else by the survey sentences ("X has an explicit ...")."""
    named = Counter(s.city for s in page.sections if s.city)
    if named:
        return named
    for sec in page.sections:
        for line in sec.lines:
            for s in SENTENCE_END.split(line):
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
    for name, collected in COLLECTED.items():
        found = d.collected[name]
        if any(found[part] for part in collected.recorded_by):
            d.fields[name] = collected.model(**found, **d.cite(d.at.get(name, "")))
    if head.leader and head.leader.name:
        d.fields["mayor"] = Person(name=head.leader.name, title=head.leader.title,
                                   **d.cite(HEADER))
    else:
        notes.append("no leader found (expected the mayor's name before the population)")
    if head.population:
        d.fields["population"] = read_population(head.population, d)
    else:
        notes.append("no population line such as '653,867 (2019)' found")
    unplaced(d, None, head.rest)
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


def parse_file(path: str | os.PathLike[str], **given: Any) -> ParseResult:
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
    return parse_text(decode(raw, p.name), name=p.name, **given)
