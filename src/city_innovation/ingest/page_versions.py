"""Adding a published profile page of a city already in ``data/`` as a new version.

A page is parsed (:mod:`.profile_page`), compared with the stored versions (the same text or the
same facts add nothing), dated (:func:`date_page`) and written:
as the city's profile when it dates after the newest (the former profile then moves to
``profile_versions/``), otherwise beside the other versions. Its address, when given, is cited in
``sources.yaml`` (:mod:`.bibliography`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import files
from ..errors import NotFoundError, ParameterError
from ..paths import data_dir
from ..store.load import benchmarks, load_profile, profile_path
from ..store.models import PageVersion, Profile
from ..store.versions import VERSIONS, load_versions, sort_key, stored_profile
from ..survey import questions
from ..survey.rounds import PAGE_ROUND_OF
from . import bibliography, profile_page


def text_sha256(text: str) -> str:
    """Hash of a page text's normalised lines: the same page copied twice hashes the same."""
    return hashlib.sha256("\n".join(profile_page.normalise(text)).encode("utf-8")).hexdigest()


def _page_round(p: Profile, root: str | os.PathLike[str] | None = None
                ) -> tuple[str | None, str | None]:
    """The round the page's wording tells, and how: its strategy share (the share of cities
    with an explicit innovation strategy it quotes) matched against the survey-wide figures of
    ``survey/benchmarks.csv`` (44% is the 2018 round's page wording, 50% the pooled 2018+2020
    figure). A share matching rows of both rounds, or none, tells nothing."""
    shares = [a.survey_share.value for a in p.strategy
              if a.question == "explicit innovation strategy" and a.survey_share
              and a.survey_share.value is not None]
    if not shares:
        return None, None
    bench = benchmarks(root)
    rows = bench[(bench["question"] == questions.STRATEGY) & (bench["unit"] == "percent")
                 & (bench["value"] == shares[0])]
    rounds = {PAGE_ROUND_OF[r] for r in rows["survey_round"] if r in PAGE_ROUND_OF}
    if len(rounds) != 1:
        return None, None
    told = rounds.pop()
    return told, (f"strategy share {shares[0]:g}% = survey figure "
                  f"{rows['id'].iloc[0]} (round {rows['survey_round'].iloc[0]})")


def date_page(p: Profile, *, rendering: str | None, url: str | None, added: int,
              text: str | None = None, version_id: str | None = None,
              root: str | os.PathLike[str] | None = None) -> PageVersion:
    """What dates a page version, and a flag for each thing that cannot be dated."""
    survey_round, evidence = _page_round(p, root)
    year = p.population.year if p.population else None
    flags = []
    if survey_round is None:
        flags.append("no survey share on the page tells its round")
    if year is None:
        flags.append("the page gives no population year")
    if url is None:
        flags.append("the page's address is not known")
    flags.append("the date the address showed this version is not known")
    rend = rendering if rendering in ("full", "compact") else None
    if rend is None:
        flags.append("the page's template (full or compact) is not known")
    return PageVersion(
        id=version_id or f"{survey_round or 'undated'}-{rend or 'page'}", rendering=rend,
        survey_round=survey_round, round_evidence=evidence, population_year=year, url=url,
        added=added, text_sha256=text_sha256(text) if text is not None else None, flags=flags)


def _facts(value: Any) -> Any:
    """A record's facts without its citations, to compare two versions' content."""
    if isinstance(value, dict):
        return {k: _facts(v) for k, v in value.items() if k not in ("source", "locator")}
    if isinstance(value, list):
        return [_facts(v) for v in value]
    return value


def content_key(p: Profile) -> tuple[Any, ...]:
    """The facts a page states, without citations or flags: leader, population, officers,
    aims, success factors, strategy answers, policy areas, roles, team staff and terms. Two
    pages with the same key say the same (a reviewed profile and a new reading of its page)."""
    return (p.mayor.name if p.mayor else None,
            (p.population.value, p.population.year) if p.population else None,
            tuple(p.innovation_officers.names) if p.innovation_officers else None,
            tuple(p.helps_to.items) if p.helps_to else None,
            tuple(p.success_factors.items) if p.success_factors else None,
            tuple((a.question, a.answer) for a in p.strategy),
            tuple(a.name for a in p.policy_areas), p.policy_areas_status,
            tuple(p.roles.listed) if p.roles else None,
            p.teams.staff if p.teams else None,
            tuple(p.innovation_terms.items) if p.innovation_terms else None)


@dataclass(frozen=True)
class Added:
    """What adding a page did: ``status`` is added, newest, same-text or same-content."""

    status: str
    version: str
    path: Path | None = None
    moved: Path | None = None
    profile: Profile | None = None
    source_file: Path | None = None


def _same(new: Profile, text: str, stored: list[Profile]) -> tuple[str, str] | None:
    digest = text_sha256(text)
    for v in stored:
        vid = v.page.id if v.page else "newest"
        if v.page and v.page.text_sha256 == digest:
            return "same-text", vid
    for v in stored:
        if content_key(v) == content_key(new):
            return "same-content", v.page.id if v.page else "newest"
    return None


def _with_page_block(path: Path, page: PageVersion) -> str:
    """The file's text with a ``page`` block appended (comments and layout kept)."""
    text = path.read_text(encoding="utf-8")
    page_fields = page.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    block = yaml.safe_dump({"page": profile_page.tidy(page_fields)},
                           sort_keys=False, allow_unicode=True, width=100)
    return text + ("" if text.endswith("\n") else "\n") + block


def add_page(text: str, *, name: str, url: str | None = None, city: str | None = None,
             country: str | None = None, source: str | None = None,
             root: str | os.PathLike[str] | None = None) -> tuple[Added, profile_page.ParseResult]:
    """Add a page of a city that has a profile as a new version; never replace one.

    The same page text, or a page with the same content as a stored version, adds nothing
    (``status`` says which). A page that dates after the newest becomes the profile and the
    former profile moves to ``profile_versions/`` (its file kept as it was, a ``page`` block
    added where it had none).
    """
    base = data_dir(root)
    first = profile_page.parse_text(text, city=city, country=country, name=name)
    try:
        stored = load_versions(first.profile.city, base)
    except NotFoundError:
        raise ParameterError(f"{name}: {first.profile.city} has no profile to add a version "
                             "to") from None
    same = _same(first.profile, text, stored)
    if same:
        return Added(status=same[0], version=same[1]), first
    added = 1 + max((v.page.added for v in stored if v.page), default=1)
    draft = date_page(first.profile, rendering=first.rendering, url=url, added=added, text=text)
    taken = {v.page.id if v.page else "newest" for v in stored}
    vid, n = draft.id, 2
    while vid in taken:
        vid, n = f"{draft.id}-{n}", n + 1
    current = stored[-1]
    if source is None:   # without an address: the profile's own source
        source = f"{bibliography.default_source(current.city)}-{vid}" if url else \
            bibliography.profile_source(current)
    result = profile_page.parse_text(text, city=city, country=country, name=name, source=source)
    page = draft.model_copy(update={"id": vid})
    new = result.profile.model_copy(update={"page": page})
    source_file = bibliography.add_source(new, url, base) if url else None
    profile_file = profile_path(new.city, base)
    folder = base / VERSIONS / profile_file.stem
    folder.mkdir(parents=True, exist_ok=True)
    cur_page = current.page or date_page(current, rendering=None, url=None, added=1,
                                         version_id="earlier")
    if sort_key(new) > sort_key(current.model_copy(update={"page": cur_page})):
        moved = folder / f"{cur_page.id}.yaml"
        body = profile_file.read_text(encoding="utf-8") if current.page else \
            _with_page_block(profile_file, cur_page)
        files.write_text(moved, body)
        files.write_text(profile_file, profile_page.to_yaml(new))
        return Added(status="newest", version=vid, path=profile_file, moved=moved, profile=new,
                     source_file=source_file), result
    target = folder / f"{vid}.yaml"
    files.write_text(target, profile_page.to_yaml(new))
    return Added(status="added", version=vid, path=target, profile=new,
                 source_file=source_file), result


def known_city(p: Profile, root: str | os.PathLike[str] | None = None) -> str | None:
    """The city with a profile in ``data/`` that a parsed page is of: its name, or another
    spelling the page uses (flagged "city-spelling" or "city-name"); None for a new city."""
    names = [p.city] + [n.strip() for f in p.flags if f.id in ("city-spelling", "city-name")
                        and f.raw for n in f.raw.split(" / ")]
    for name in names:
        path = stored_profile(name, root)
        if path is not None:
            return load_profile(name, root).city
    return None


def add_file(path: str | os.PathLike[str], *, url: str | None = None, city: str | None = None,
             country: str | None = None, source: str | None = None,
             root: str | os.PathLike[str] | None = None) -> tuple[Added, list[str]]:
    """Add a page text file as a version (see :func:`add_page`); the lines to print."""
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"{path}: file not found (expected a profile text file)")
    text = profile_page.decode(p.read_bytes(), p.name)
    added, result = add_page(text, name=p.name, url=url, city=city, country=country,
                             source=source, root=root)
    who = result.profile.city
    if added.status in ("same-text", "same-content"):
        what = "the same page text as" if added.status == "same-text" else \
            "the same content as"
        return added, [f"{p.name}: {what} version {added.version} of {who}, already stored; "
                       "nothing added"]
    new = added.profile
    assert new is not None and new.page is not None
    lines = [f"warning: {w}" for w in result.warnings]
    if added.source_file:
        lines.append(f"added source {bibliography.profile_source(new)!r} "
                     f"to {added.source_file.name}")
    if not url:
        lines.append(f"warning: no --url: version {added.version} cites the profile's source "
                     f"{bibliography.profile_source(new)!r}; its address is not recorded")
    shown = f"{added.path.parent.name}/{added.path.name}" if added.path else ""
    if added.status == "newest":
        lines.append(f"added version {added.version} of {who} as its profile ({shown}); the "
                     f"former profile is kept as version "
                     f"{added.moved.stem if added.moved else 'earlier'}")
    else:
        lines.append(f"added version {added.version} of {who} ({shown}); the newest version "
                     "stays its profile")
    lines.append(f"{len(new.flags)} flag(s) to review; what cannot be dated: "
                 + ("; ".join(new.page.flags) or "nothing"))
    return added, lines
