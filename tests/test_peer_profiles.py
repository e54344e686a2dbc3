"""The profiles of the survey's other cities (data/profiles/): each loads, keeps the figures
of its page, and carries facts and short labels only (no run of 12 words of a page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_city_reports import newest_texts
from test_shared_profiles import observed, shared_texts

from city_innovation import data, paths
from city_innovation.ingest.profile_page import parse_file

DATA = paths.REPO_ROOT / "data"
RUN = 12


def words(text: str) -> list[str]:
    """Lower-case words of a text (apostrophes unified), as the page check counts them."""
    return re.findall(r"[a-z0-9'%-]+", text.lower().replace("\u2019", "'"))


def runs(text: str) -> set[str]:
    w = words(text)
    return {" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def scalars(text: str) -> list[str]:
    """One data file's scalars: fields and list items are never joined into one run."""
    return re.split(r"[\n,;\[\]{}|]|: ", text)


def test_no_twelve_word_run_of_a_page_in_data():
    pages = set().union(*(runs(p.read_text(encoding="utf-8", errors="replace"))
                          for p in shared_texts()))
    files = [f for f in sorted(DATA.rglob("*")) if f.suffix in {".yaml", ".yml", ".csv", ".md",
                                                                ".json"}]
    assert len(files) > 15
    hits = [(f.relative_to(DATA).as_posix(), run) for f in files
            for seg in scalars(f.read_text(encoding="utf-8")) for run in runs(seg) & pages]
    assert hits == []


def test_the_check_finds_a_copied_sentence(tmp_path):
    """The scalar split does not hide a copied page sentence in a field."""
    page = next(iter(shared_texts())).read_text(encoding="utf-8", errors="replace")
    sentence = max(scalars(page), key=lambda s: len(words(s)))
    assert len(words(sentence)) >= RUN
    copied = f"detail: {sentence}\n"
    assert any(runs(seg) & runs(page) for seg in scalars(copied))


@pytest.fixture(scope="module")
def newest() -> dict[str, Path]:
    return newest_texts()


#: The cities of the pages that a region file in data/regions/ lists; the others have none.
PAIRED = {"Amsterdam": "Noord-Holland", "Lisbon": "Área Metropolitana de Lisboa",
          "Stockholm": "Stockholm", "Vienna": "Wien"}


def test_every_city_of_the_pages_has_a_profile_that_loads(newest):
    cities = set(data.available_cities())
    assert len(newest) == 14
    for text in newest.values():
        p = data.load_profile(parse_file(text).profile.city)
        assert p.city in cities and p.survey_rounds == ["2018", "2020"]
        assert p.region is None  # pairing comes from the region files only
        assert data.paired_region(p.city) == PAIRED.get(p.city)
        assert any(f.id == "survey-round" for f in p.flags)


#: Fields a hand review may not change without a flag: the page's figures and lists.
KEPT = ("city", "country", "leader", "population", "innovation_officers", "helps_to",
        "success_factors", "strategy", "approach", "policy_areas", "roles", "team_staff", "terms",
        "activities_own", "activities_numbered", "dedicated_funding")


def test_reviewed_profiles_keep_the_figures_of_their_page(newest):
    for text in newest.values():
        result = parse_file(text)
        parsed = observed(result)
        committed = observed(type(result)(**{**vars(result),
                                             "profile": data.load_profile(parsed["city"])}))
        assert {k: committed[k] for k in KEPT} == {k: parsed[k] for k in KEPT}, text.name


def test_odd_pages_keep_their_flags():
    chelsea = data.load_profile("Chelsea")
    assert chelsea.population.value is None and chelsea.population.printed == "39,6990"
    assert "population-garbled" in {f.id for f in chelsea.flags}
    lisbon = data.load_profile("Lisbon")
    assert lisbon.roles.stated_count == 4 and lisbon.roles.listed == ["Project manager"]
    assert "roles-count" in {f.id for f in lisbon.flags}
    # a reviewed fix is flagged, not silent: Philadelphia's misread partners were removed
    philadelphia = data.load_profile("Philadelphia")
    assert philadelphia.partnerships is None
    assert "partnerships-misread" in {f.id for f in philadelphia.flags}

