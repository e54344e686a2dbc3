"""Stage 3 of reading a profile page, second part: one reader per section, and the header.

Each reader (:data:`READERS`, by section key) fills fields of the :class:`~.sentences.Draft`
from its section's lines; prose in a section goes to the sentence readers first, and what no
reader can place becomes a flag with the raw text. :func:`read_header` reads the lines before
the first section (city, country, leader, population).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from ...store.models import (
    Activities,
    Activity,
    AreaStatus,
    DataAvailability,
    FundedActivities,
    FundedCount,
    FundingSource,
    FundingSources,
    Goal,
    Items,
    People,
    PolicyArea,
    Population,
    Problem,
    RankedOption,
    Roles,
    Team,
    Teams,
)
from ...survey import options
from .layout import HEADER, POP_LINE, ROLES_SENTENCE, Section
from .sentences import Draft, claim, claim_all, dedupe, drop_cut, list_items, unplaced
from .text import EG, SENTENCE_END, complete_part, is_sentence, split_examples, split_list

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
_GOAL = re.compile(
    r"\b(?:to become|to be|to achieve|to reach|aims? to|aiming to|striving to|plans? to"
    r"|goal is to)\s+([^.;]{1,120}?)\s+by\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_GOAL_VERB = re.compile(r"^(?:become|be|achieve|reach)\s+", re.IGNORECASE)
_SUCH_AS = re.compile(r"\bsuch as\s+(.+)$", re.IGNORECASE)

_MAYOR_PREFIX = re.compile(r"^mayor\s*:?\s+", re.IGNORECASE)
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


# --- section readers -----------------------------------------------------------------------


def read_items(sec: Section, d: Draft) -> None:
    """Aims, success factors and terms: one label a line."""
    labels = list_items(sec, d)
    if labels:
        d.fields[sec.field] = Items(items=labels, **d.cite(sec))


def _kept_or_empty(d: Draft, sec: Section, lines: list[str], kept: tuple[str, str, str, str],
                   empty: tuple[str, str, Problem, str, str]) -> None:
    """A section no Profile field holds: its text kept in a flag (id, field, detail, decision
    of ``kept``), or where it says nothing, the ``empty`` flag (id, field, problem, detail,
    decision)."""
    if lines:
        d.keep(*kept, lines, sec)
    else:
        d.flag(*empty, locator=sec.locator)


def read_website(sec: Section, d: Draft) -> None:
    """The innovation website's address, kept in a flag as printed."""
    _kept_or_empty(d, sec, list_items(sec, d), (
        "innovation-website", "innovation_website",
        "The profile model has no field for the innovation website.",
        "The address is kept here as printed."), (
        "innovation-website-missing", "innovation_website", "missing",
        'The label "Innovation Website" appears without an address.', "No website recorded."))


def read_officers(sec: Section, d: Draft) -> None:
    """The lead innovation officers' names (one line may hold several: , ; & and "and")."""
    lines = drop_cut(d, [x for x in sec.lines if _name_like(x)], sec)
    unplaced(d, sec, [x for x in sec.lines if not _name_like(x)])
    names = [n for line in lines for n in _NAME_SEP.split(line) if n]
    if names:
        d.fields["innovation_officers"] = People(names=names, **d.cite(sec))


def read_prose(sec: Section, d: Draft) -> None:
    """Sections of sentences only (the vision, the funding heading)."""
    unplaced(d, sec, claim_all(sec.lines, sec, d))


def read_spotlight(sec: Section, d: Draft) -> None:
    """The spotlight on one project: free text, kept in a flag to write the field by hand."""
    rest = claim_all(sec.lines, sec, d)
    if rest:
        d.keep("spotlight-text", "spotlight",
               "The spotlight is free text; its project name, summary and figures are "
               "not read automatically.",
               "Kept here as printed; write the spotlight field from it by hand.", rest, sec)


def read_chart(sec: Section, d: Draft) -> None:
    """A chart of survey-wide counts (policy areas, roles): kept in a flag as printed."""
    what = "policy-areas" if sec.key == "policy_chart" else "roles"
    _kept_or_empty(d, sec, claim_all(drop_cut(d, sec.lines, sec), sec, d), (
        f"{what}-chart", sec.field,
        f"The chart {sec.locator!r} prints survey-wide figures that have no field in a city "
        "profile.",
        "Kept here as printed; survey-wide figures belong in survey/benchmarks.csv."), (
        f"{what}-chart-lost", sec.field, "missing",
        f"The chart {sec.locator!r} kept its title but lost its data.",
        "No survey-wide counts are read from the profile for this chart."))


def read_policy_areas(sec: Section, d: Draft) -> None:
    """The listed areas, their descriptions ("Area: text"), or the city's answer that it does
    not prioritise policy sectors."""
    names: list[str] = []
    described: list[tuple[str, str]] = []
    texts_of: dict[str, list[str]] = {}
    rest: list[str] = []
    for line in sec.lines:
        m = _DESCRIPTION.match(line)
        if m and (m[1].casefold() in texts_of or is_sentence(m[2]) or line is d.cut):
            described.append((m[1].strip(), m[2]))
            texts_of.setdefault(m[1].strip().casefold(), []).append(m[2])
        elif is_sentence(line):
            rest.append(line)
        else:
            names.append(line)
            texts_of.setdefault(line.casefold(), [])
    unplaced(d, sec, claim_all(rest, sec, d))
    names = dedupe(d, drop_cut(d, names, sec), sec)
    areas = []
    for name in names:
        texts = texts_of.get(name.casefold(), [])
        goals = [Goal(label=_GOAL_VERB.sub("", g[1]).strip(), target_year=int(g[2]))
                 for t in texts for g in _GOAL.finditer(t)]
        means = [m for t in texts for s in SENTENCE_END.split(t)
                 if (such := _SUCH_AS.search(s)) for m in split_list(such[1])]
        areas.append(PolicyArea(name=name, goals=goals, means=means, **d.cite(sec)))
    if areas:
        d.fields["policy_areas"] = areas
        d.fields["policy_areas_status"] = "listed"
    elif "policy_areas_status" not in d.fields:
        d.fields["policy_areas_status"] = "prose_only" if described or rest else "empty"
    if described:
        d.keep("policy-areas-text", "policy_areas",
               "The descriptions of the policy areas are free text; only goals with a "
               "target year and 'such as' lists of means were read from them.",
               "The descriptions are kept here as printed for review.",
               [f"{n}: {t}" for n, t in described], sec)


def read_roles(sec: Section, d: Draft) -> None:
    """The roles listed under "<city> utilizes N ... roles" (or a heading without a number)."""
    listed = list_items(sec, d)
    stated = sec.number
    for line in sec.lines:   # a compact rendering states the number in a sentence
        if stated is None and (m := ROLES_SENTENCE.search(line)):
            stated = int(m["n"])
    if stated is not None and sec.key == "roles" and sec.number is None:
        listed = [x for x in listed if not ROLES_SENTENCE.search(x)]
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
    text = " ".join(x if x is not d.cut else complete_part(x) for x in sec.lines)
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
    for s in SENTENCE_END.split(text):
        if m := _DIVISIONS.match(s):
            words = m[1].strip()
            divisions = words[:1].lower() + words[1:] if words[1:2].islower() else words
    staff = _number(figures[0][1]) if len(figures) == 1 else None
    if not (named or figures or counts or location or divisions):
        unplaced(d, sec, [x for x in sec.lines if x is not d.cut])
        return
    d.fields["teams"] = Teams(
        teams=named, divisions_with_own_team=divisions, staff=staff,
        staff_at_least=staff is not None and figures[0][0].casefold() in (
            "more than", "over", "at least"),
        team_count=counts[0] if len(counts) == 1 and counts[0] > 0 else None,
        location=location, **d.cite(sec))
    if len(figures) > 1:
        d.keep("teams-staff", "teams.staff",
               "The team paragraph gives more than one staff figure.",
               "No single staff figure is recorded; named teams are kept with their staff.",
               [f"{q} {n}".strip() for q, n in figures], sec)


def read_activities(sec: Section, d: Draft) -> None:
    """The city's own activities (each with an "e.g." line) and the numbered survey options;
    on a compact rendering the options are printed without their numbers."""
    common: list[tuple[str, list[str]]] = []
    ranking: list[tuple[int, str]] = []
    pending: int | None = None
    rest: list[str] = []
    lines = drop_cut(d, sec.lines, sec)
    unnumbered = _unnumbered(lines)
    for line in lines:
        eg = EG.match(line)
        if eg and common and not ranking and pending is None:
            common[-1][1].extend(split_examples(eg[1]))
        elif m := _RANK_ONLY.fullmatch(line):
            pending = int(m[1])
        elif m := _RANK_LABEL.fullmatch(line):
            ranking.append((int(m[1]), m[2].strip()))
        elif pending is not None and not is_sentence(line):
            ranking.append((pending, line))
            pending = None
        elif unnumbered and options.activity_option(line):
            ranking.append((len(ranking) + 1, line))
        elif ranking or eg or is_sentence(line):
            rest.append(line)
        else:
            common.append((line, []))
    unplaced(d, sec, claim_all(rest, sec, d))
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
        d.keep("activities-unmatched", "activities.common",
               "These activities share no words with any of the survey's options.",
               "Kept as printed, without a survey option.", unmatched, sec)
    d.fields["activities"] = Activities(
        common=found, ranking=[RankedOption(rank=r, label=lab) for r, lab in ranking],
        **d.cite(sec))


def read_funding_sources(sec: Section, d: Draft) -> None:
    """The top funding sources: each survey label with its definition and "e.g." examples."""
    blocks: list[list[str]] = []   # each: [label, definition lines..., "e.g. ..."]
    repeated = False
    rest: list[str] = []
    for line in sec.lines:
        known = options.FUNDING_SOURCES.get(re.sub(r"[^a-z]", "", line.lower()))
        if known and blocks and blocks[-1] == [line]:
            repeated = True
        elif known or not (is_sentence(line) or EG.match(line)):
            blocks.append([line])
        elif EG.match(line) and blocks:
            blocks[-1].append(line)
        elif (left := claim(line, sec, d)) is not None:
            (blocks[-1] if blocks else rest).append(left)
    sources, unknown = [], []
    for label, *text in blocks:
        known = options.FUNDING_SOURCES.get(re.sub(r"[^a-z]", "", label.lower()))
        if known is None:
            unknown.append(" / ".join([label, *text]))
            continue
        examples = [x for t in text if (eg := EG.match(t)) for x in split_examples(eg[1])]
        definition = " ".join(t for t in text if not EG.match(t))
        sources.append(FundingSource(name=known[0], level=known[1], definition=definition,
                                     examples=examples))
    if unknown:
        d.keep("funding-sources-unknown", "funding_sources",
               "Labels that are not among the five funding sources of the survey, so "
               "no funding level can be given to them.",
               "Left out of the funding sources; kept here as printed.", unknown, sec)
    unplaced(d, sec, rest)
    if repeated:
        d.flag("funding-sources-repeated", "funding_sources", "garbled",
               "Funding-source labels are printed twice in a row.",
               "Each source is recorded once.", locator=sec.locator)
    if sources:
        d.fields["funding_sources"] = FundingSources(sources=sources, **d.cite(sec))


def read_funded_activities(sec: Section, d: Draft) -> None:
    """The activities being funded: the city's own labels and the survey's counts of cities."""
    printed: list[str] = []
    rest: list[str] = []
    for line in sec.lines:
        if is_sentence(line):
            rest.append(line)
        else:
            printed.append(line)
    unplaced(d, sec, claim_all(rest, sec, d))
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
    """How innovation is measured: partnership sentences are read, the rest kept in a flag."""
    _kept_or_empty(d, sec, claim_all(sec.lines, sec, d), (
        "measurement-text", "measurement",
        "The profile model has no field for how innovation is measured.",
        "Kept here as printed."), (
        "measurement-section-empty", "partnerships", "garbled",
        f"Under the heading {sec.locator!r} the text says nothing on measurement (only "
        "partnerships, or nothing).",
        "Partnership sentences are stored as partnerships; no measurement answers are "
        "recorded."))


def read_data_availability(sec: Section, d: Draft) -> None:
    """The policy areas of the data-availability chart (their status markers are lost)."""
    areas = [x for x in list_items(sec, d) if not _LEGEND.fullmatch(x)]
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


# --- the header ----------------------------------------------------------------------------

_WELL_FORMED = re.compile(r"\d{1,3}(?:([,. ])\d{3}(?:\1\d{3}){0,3})?|\d{1,10}")
_LEADER_LABEL = re.compile(r"(?:lord |deputy |acting )?(?:mayor|city manager|governor|"
                           r"chief executive|city executive|president|head of [\w ]{2,30})",
                           re.IGNORECASE)


def _name_like(line: str) -> bool:
    """A short label or name ("G. T. Bynum" has full stops but is not a sentence)."""
    return len(line) <= 80 and (len(line.split()) <= 6 or not is_sentence(line))


class Leader(NamedTuple):
    """The city's leader as the header prints them: the name, and the label before it."""

    name: str
    title: str | None = None


@dataclass


class Header:
    """What the lines before the first section say: city, country, leader, population."""

    city: str | None = None
    country: str | None = None
    leader: Leader | None = None
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
    pop = next((i for i, x in enumerate(lines) if POP_LINE.fullmatch(x)), None)
    labelled = any(x.casefold().rstrip(":") == "population" for x in lines)
    before = [x for x in (lines[:pop] if pop is not None else lines)
              if x.casefold().rstrip(":") != "population"]
    if pop is not None:
        out.population = lines[pop]
        out.rest = lines[pop + 1:]
    names = [x for x in before if _name_like(x)]
    out.rest = [x for x in before if x not in names] + out.rest
    if names:
        name = _MAYOR_PREFIX.sub("", names.pop())
        labelled_name = bool(names) and (labelled or bool(_LEADER_LABEL.fullmatch(names[-1])))
        out.leader = Leader(name, names.pop() if labelled_name else None)
    if len(names) >= 2:
        out.city, out.country = names[0], names[1]
        out.rest = names[2:] + out.rest
    elif names:
        if city_hint and names[0].casefold() == city_hint.casefold():
            out.city = names[0]
        else:
            out.country = names[0]
    return out


def read_population(printed: str, d: Draft) -> Population:
    """The population as printed, its value where the number is well formed (else flagged)."""
    m = POP_LINE.fullmatch(printed)
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
