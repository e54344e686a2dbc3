"""Stage 3 of reading a profile page, first part: the draft and the sentence readers.

A :class:`Draft` gathers what the readers find: fields of the profile, the records of the
fields that sentences anywhere on the page add to (:data:`COLLECTED`) and the flags. Sentences
that state a fact wherever the layout put them (survey shares, funding uses, partnerships) are
read by the sentence readers here (:data:`SENTENCE_READERS`, through :func:`claim`), and the
helpers every section reader uses to flag what it cannot place live here too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ...store.models import (
    Cited,
    DedicatedFunding,
    Flag,
    FundingUse,
    Partner,
    Partnerships,
    Problem,
    QuotedUse,
    RoundOnlyOption,
    StrategyAnswer,
    SurveyShare,
)
from ...survey import options, rounds
from .layout import APPROACH, DEDICATED, EXPLICIT, HEADER, NONE_PRIORITISED, Section
from .text import SENTENCE_END, capitalise, complete_part, is_sentence, split_list, split_named

ROUNDS = rounds.ROUNDS


class Collected(NamedTuple):
    """A Profile field that sentences anywhere on the page add records to: its model, the
    model's list fields (the parts), and the parts that make the field worth recording."""

    model: type[Cited]
    parts: tuple[str, ...]
    recorded_by: tuple[str, ...]


COLLECTED: dict[str, Collected] = {
    "funding_use": Collected(FundingUse, ("uses", "quoted", "round_only_options"),
                             ("uses", "quoted", "round_only_options")),
    "partnerships": Collected(Partnerships, ("partners", "data_partners", "data_purposes"),
                              ("partners", "data_partners")),
}
"""Profile fields built from the records the sentence readers collect (see :meth:`Draft.collect`);
a purpose of data partnerships without a partner records nothing."""

_COMPARISON = re.compile(
    r"^(?:along with|like|similar to|unlike|as with|in line with|contrary to|compared (?:with|to)"
    r"|in contrast (?:with|to)|just like|as in)\s+(?P<share>[^,]{1,160}),\s*(?P<clause>.+)$",
    re.IGNORECASE)
_IN_ROUND = re.compile(r"\s*\bin the (?P<year>(?:19|20)\d\d) (?:survey|round)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\b(\d{1,3}(?:\.\d{1,2})?) ?%")
_NEGATION = re.compile(r"\b(?:not|no|lacks?|without|neither)\b|n't\b", re.IGNORECASE)
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
_PARTNERS = re.compile(r"\b(data\s+)?partnerships?\b[^.]{0,80}?\bwith\s+(.+)$", re.IGNORECASE)


@dataclass
class Draft:
    """What the readers have found so far: fields of the profile, records collected for the
    fields of :data:`COLLECTED`, where each was first read, and the flags."""

    source: str
    cut: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    ids: Counter[str] = field(default_factory=Counter)
    strategy: list[StrategyAnswer] = field(default_factory=list)
    collected: dict[str, dict[str, list[Any]]] = field(default_factory=lambda: {
        name: {part: [] for part in c.parts} for name, c in COLLECTED.items()})
    at: dict[str, str] = field(default_factory=dict)

    def flag(self, fid: str, fld: str, problem: Problem, detail: str, decision: str, *,
             raw: str | None = None, locator: str | None = None) -> None:
        """Record a flag; a repeated id is numbered from 2."""
        base = fid.replace("_", "-")
        self.ids[base] += 1
        fid = base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"
        self.flags.append(Flag(id=fid, field=fld, problem=problem, detail=detail,
                               decision=decision, raw=raw, source=self.source, locator=locator))

    def keep(self, fid: str, fld: str, detail: str, decision: str, lines: list[str],
             where: Section) -> None:
        """Flag text that no field holds as ambiguous, its lines kept as printed for review."""
        self.flag(fid, fld, "ambiguous", detail, decision, raw=" / ".join(lines),
                  locator=where.locator)

    def collect(self, name: str, part: str, found: list[Any], where: Section) -> None:
        """Add what a sentence gives to a part of a collected field; the field cites the first
        section whose sentences speak of it."""
        self.collected[name][part] += found
        self.at.setdefault(name, where.locator)

    def cite(self, where: Section | str) -> dict[str, str]:
        """The source and locator keywords of a record read from a section (or a locator)."""
        return {"source": self.source,
                "locator": where.locator if isinstance(where, Section) else where}


def unplaced(d: Draft, sec: Section | None, lines: list[str]) -> None:
    """Flag text of a section (or of the header) that no reader could place."""
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


def dedupe(d: Draft, items: list[str], sec: Section) -> list[str]:
    """Each label once (the first spelling); a repeated label is flagged."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    if len(seen) < len(items):
        d.flag(f"{sec.field}-repeated", sec.field, "garbled",
               f"Labels under {sec.locator!r} are printed more than once.",
               "Each label is recorded once.", raw=" / ".join(items), locator=sec.locator)
    return list(seen.values())


def drop_cut(d: Draft, items: list[str], sec: Section) -> list[str]:
    """The items without the one the page stops in (flagged, never stored)."""
    if d.cut is None or d.cut not in items:
        return items
    d.flag(f"{sec.key}-cut-item", sec.field, "missing",
           f"The text stops inside the last item under {sec.locator!r}.",
           "The incomplete item is left out.", raw=d.cut, locator=sec.locator)
    return [x for x in items if x is not d.cut]


# --- sentences found anywhere --------------------------------------------------------------


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
        if (a := APPROACH.search(s)) and not _COMPARISON.match(s):
            d.strategy.append(StrategyAnswer(question="approach to innovation capacity",
                                             answer=_approach_answer(a[1]), **d.cite(sec)))
            return True
        return False
    clause = m["clause"]
    if EXPLICIT.search(clause):
        answer = "no" if _NEGATION.search(clause) else "yes"
        d.strategy.append(StrategyAnswer(question="explicit innovation strategy", answer=answer,
                                         survey_share=share, **d.cite(sec)))
    elif a := APPROACH.search(clause):
        d.strategy.append(StrategyAnswer(question="approach to innovation capacity",
                                         answer=_approach_answer(a[1]), survey_share=share,
                                         **d.cite(sec)))
    elif DEDICATED.search(clause):
        has = not _NEGATION.search(clause)
        _set_once(d, "dedicated_funding", DedicatedFunding(
            has_dedicated_funding=has, survey_share=share, **d.cite(sec)), sec, s)
    elif q := _QUOTED_USE.search(clause):
        d.collect("funding_use", "quoted",
                  [QuotedUse(use=capitalise(q[1].rstrip(" .*")), survey_share=share)], sec)
    else:
        return False
    return True


def _funding_uses(s: str, sec: Section, d: Draft) -> bool:
    m = _USES.search(s)
    if m:
        d.collect("funding_use", "uses", split_list(m[1]), sec)
    return bool(m)


def _round_only(s: str, sec: Section, d: Draft) -> bool:
    other = {"2018": "2020", "2020": "2018"}
    found = [(opt.strip(" *"), other[y]) for opt, y in _ROUND_ONLY.findall(s) if y in other]
    if found:
        d.collect("funding_use", "round_only_options",
                  [RoundOnlyOption(option=o, survey_round=r) for o, r in found], sec)
    return bool(found)


def _partners(s: str, sec: Section, d: Draft) -> bool:
    m = _PARTNERS.search(s)
    if not m:
        return False
    partners: list[Partner] = []
    purposes: list[str] = []
    for item in split_list(m[2]):
        if m[1] and item.lower().startswith("to "):
            purposes.append(item[3:].strip())
            continue
        name, examples = split_named(re.sub(r"^the\s+", "", item, flags=re.IGNORECASE))
        partners.append(Partner(name=name, examples=examples))
    d.collect("partnerships", "data_partners" if m[1] else "partners", partners, sec)
    d.collect("partnerships", "data_purposes", purposes, sec)
    return True


def _policy_none(s: str, sec: Section, d: Draft) -> bool:
    if not NONE_PRIORITISED.search(s):
        return False
    d.fields["policy_areas_status"] = "none_prioritised"
    return True


SENTENCE_READERS: tuple[Callable[[str, Section, Draft], bool], ...] = (
    _comparison, _funding_uses, _round_only, _policy_none, _partners)
"""Readers of sentences that state a fact in whatever section they are printed."""


def claim(line: str, sec: Section, d: Draft) -> str | None:
    """Read the sentences of a line that state known facts; return the rest (or None)."""
    if line is d.cut:
        line = complete_part(line)
        if not line:
            return None
    sentences = SENTENCE_END.split(line)
    rest = [s for s in sentences if not any(read(s, sec, d) for read in SENTENCE_READERS)]
    if not rest:
        return None
    return line if len(rest) == len(sentences) else " ".join(rest)


def claim_all(lines: Iterable[str], sec: Section, d: Draft) -> list[str]:
    """What :func:`claim` leaves of each line, lines it reads whole left out."""
    return [rest for line in lines if (rest := claim(line, sec, d)) is not None]


def list_items(sec: Section, d: Draft) -> list[str]:
    """Labels of a list section; prose in it is read as sentences or kept as unplaced."""
    labels = drop_cut(d, [x for x in sec.lines if not is_sentence(x)], sec)
    unplaced(d, sec, claim_all((x for x in sec.lines if is_sentence(x)), sec, d))
    return dedupe(d, labels, sec)
