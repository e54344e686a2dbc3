"""Page versions of a city (city_innovation.store.versions): storage, dating, and parse-profile
adding a page of a known city as a version (a repeated page adds nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_shared_profiles import SHARED, shared_texts

from city_innovation import data, paths
from city_innovation.cli import main
from city_innovation.errors import ParameterError
from city_innovation.ingest import page_versions
from city_innovation.params import RoundsParams
from city_innovation.store import versions
from city_innovation.store.models import Profile

NINE = ["Alexandria", "Curridabat", "Denver, CO", "Detroit", "Lisbon", "Philadelphia",
        "Stockholm", "Toronto", "Tulsa"]


def invented(share: float | None, year: int | None) -> Profile:
    strategy = [] if share is None else [{
        "question": "explicit innovation strategy", "answer": "yes", "source": "x",
        "survey_share": {"value": share, "wording": f"{share:g}% of cities surveyed"}}]
    population = {"value": 1000, "year": year, "source": "x"} if year else None
    return Profile.model_validate({"city": "Testville", "survey_rounds": [],
                                   "strategy": strategy, "population": population})


def test_a_page_is_dated_by_its_strategy_share_and_population_year():
    old = page_versions.date_page(invented(44, 2016), rendering="full", url="https://a/", added=1)
    assert (old.id, old.survey_round, old.population_year) == ("2018-full", "2018", 2016)
    assert "2018-strategy-07" in old.round_evidence
    new = page_versions.date_page(invented(50, 2019), rendering="compact", url=None, added=2)
    assert (new.id, new.survey_round) == ("2020-compact", "2020")
    assert "the page's address is not known" in new.flags
    # a share no survey figure of a single round has, and no population: flagged, not guessed
    odd = page_versions.date_page(invented(61, None), rendering=None, url=None, added=3)
    assert (odd.id, odd.survey_round, odd.population_year) == ("undated-page", None, None)
    assert {"no survey share on the page tells its round", "the page gives no population year",
            "the page's template (full or compact) is not known"} <= set(odd.flags)


def test_versions_are_kept_and_the_newest_stays_the_profile():
    assert versions.cities_with_versions() == sorted(NINE)
    assert versions.version_ids("Stockholm") == ["2018-full", "2020-full", "2020-compact"]
    assert versions.version_ids("Denver") == ["2018-full", "2020-full"]
    assert versions.version_ids("Helsinki") == ["newest"]
    for city in NINE:
        pages = versions.load_versions(city)
        assert pages[-1] == data.load_profile(city)
        assert [p.page.added for p in pages] == sorted(p.page.added for p in pages)
    cities = data.available_cities()
    assert len(cities) == len(set(cities)) == 15   # each city once


def test_rounds_params_refuse_unknown_and_single_versions():
    p = RoundsParams.parse(city="Toronto")
    assert (p.older, p.newer) == ("2018-full", "2020-full")
    with pytest.raises(ParameterError, match=r"parameter older: '2019-full' is not a page "
                                             r"version of Stockholm \(allowed: oldest, newest, "
                                             r"2018-full, 2020-full, 2020-compact\)"):
        RoundsParams.parse(city="Stockholm", older="2019-full")
    with pytest.raises(ParameterError, match="parameter city: Helsinki has one page version"):
        RoundsParams.parse(city="Helsinki")
    with pytest.raises(ParameterError, match="parameter older, newer: both name version"):
        RoundsParams.parse(city="Stockholm", older="2020-full", newer="2020-full")
    with pytest.raises(ParameterError, match="parameter older: '2020-compact' is later"):
        RoundsParams.parse(city="Stockholm", older="2020-compact", newer="2018-full")
    assert RoundsParams.skip_reason({"city": "Stockholm"}) is None
    assert "needs two page versions" in RoundsParams.skip_reason({"city": "Vienna"})


@pytest.fixture
def denver_without_2018(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shared_texts()
    shutil.rmtree(data_copy / versions.VERSIONS / "denver-co")
    monkeypatch.setenv(paths.ENV_VAR, str(data_copy))
    return data_copy


def test_parse_profile_adds_an_older_page_as_a_version(denver_without_2018, capsys):
    root = denver_without_2018
    profile_before = (root / "profiles" / "denver-co.yaml").read_bytes()
    url = "https://cities-innovation-oecd.com/cities/denver-us/"
    assert main(["parse-profile", str(SHARED / "denver-us.txt"), "--url", url]) == 0
    out = capsys.readouterr().out
    assert "added version 2018-full of Denver, CO" in out and "stays its profile" in out
    assert (root / "profiles" / "denver-co.yaml").read_bytes() == profile_before
    assert versions.version_ids("Denver", root) == ["2018-full", "2020-full"]
    old = versions.load_versions("Denver", root)[0]
    assert (old.population.value, old.page.population_year, old.page.url) == (693060, 2016, url)
    assert data.load_sources(root)["oecd-map-denver-co-2018-full"].url == url
    assert data.validate(root) == []
    # the same command again: the same page text, nothing added, exit 0
    files = sorted((root / versions.VERSIONS).rglob("*.yaml"))
    assert main(["parse-profile", str(SHARED / "denver-us.txt"), "--url", url]) == 0
    assert capsys.readouterr().out == ("denver-us.txt: the same page text as version 2018-full "
                                       "of Denver, CO, already stored; nothing added\n")
    assert sorted((root / versions.VERSIONS).rglob("*.yaml")) == files


def test_a_page_with_the_same_content_adds_nothing(denver_without_2018, tmp_path, capsys):
    """Other text, same facts (the spotlight's prose cut short): the same content."""
    text = (SHARED / "denver-us-v2.txt").read_text(encoding="utf-8")
    line = max(text.splitlines(), key=len)   # the spotlight paragraph
    changed = tmp_path / "denver-copy.txt"
    changed.write_text(text.replace(line, line[:40] + " (edited)"), encoding="utf-8")
    assert main(["parse-profile", str(changed)]) == 0
    assert "the same content as version 2020-full of Denver, CO" in capsys.readouterr().out
    assert not (denver_without_2018 / versions.VERSIONS / "denver-co").exists()


def test_a_later_page_becomes_the_profile(data_copy, monkeypatch, capsys):
    """Stockholm kept only as its 2018 page: the 2020 page becomes the profile, the 2018
    one moves to profile_versions/ unchanged."""
    shared_texts()
    folder = data_copy / versions.VERSIONS / "stockholm"
    first = (folder / "2018-full.yaml").read_text(encoding="utf-8")
    (data_copy / "profiles" / "stockholm.yaml").write_text(first, encoding="utf-8")
    shutil.rmtree(folder)
    monkeypatch.setenv(paths.ENV_VAR, str(data_copy))
    assert main(["parse-profile", str(SHARED / "stockholm-swe-v2.txt")]) == 0
    out = capsys.readouterr()
    assert "added version 2020-full of Stockholm as its profile" in out.out
    assert "no --url" in out.err
    assert (folder / "2018-full.yaml").read_text(encoding="utf-8") == first
    assert data.load_profile("Stockholm", data_copy).page.id == "2020-full"
    assert data.load_profile("Stockholm", data_copy).population.year == 2019
    assert data.validate(data_copy) == []


def test_report_refuses_an_unknown_version_before_any_kernel(no_kernels, capsys):
    rc = main(["report", "--city", "Stockholm", "--notebooks", "06", "-p", "older",
               "2019-full", "--out", "reports", "--quiet"])
    assert rc == 2
    assert capsys.readouterr().err == (
        "error: notebook 06_city_across_rounds.ipynb: parameter older: '2019-full' is not a "
        "page version of Stockholm (allowed: oldest, newest, 2018-full, 2020-full, "
        "2020-compact)\n")


def test_stored_versions_agree_with_a_careful_reading_of_their_page():
    """Each stored version of the nine cities is one of the shared pages (by its text hash)
    and gives the facts ../shared/profiles/expected/ reads from that page."""
    import yaml

    by_hash = {page_versions.text_sha256(t.read_text(encoding="utf-8")): t
               for t in shared_texts()}
    seen = []
    for city in NINE:
        for p in versions.load_versions(city):
            text = by_hash[p.page.text_sha256]
            seen.append(text.name)
            e = yaml.safe_load((SHARED / "expected" / f"{text.stem}.yaml").read_text("utf-8"))
            assert p.mayor.name == e["leader"]["name"], text.name
            assert (p.population.value, p.population.year) == (
                e["population"]["value"], e["population"]["year"]), text.name
            assert p.innovation_officers.names == e["innovation_officers"], text.name
            assert p.helps_to.items == e["helps_to"], text.name
            assert p.success_factors.items == e["success_factors"], text.name
            assert [a.name for a in p.policy_areas] == e["policy_areas"]["items"], text.name
            assert (p.roles.listed if p.roles else None) == e["roles"]["listed"], text.name
            assert (p.teams.staff if p.teams else None) == e["team_staff"], text.name
            assert (p.innovation_terms.items if p.innovation_terms else None) == e["terms"]
            assert p.page.rendering == e["format"], text.name
    assert len(seen) == len(set(seen)) == 19   # 8 cities x 2 versions + Stockholm's 3


def test_a_page_spelling_the_city_otherwise_is_added_to_that_city(data_copy, monkeypatch,
                                                                  capsys):
    """Curridabat's 2018 page spells it 'Curridibat' in its headings: still its version."""
    shared_texts()
    shutil.rmtree(data_copy / versions.VERSIONS / "curridabat")
    monkeypatch.setenv(paths.ENV_VAR, str(data_copy))
    assert main(["parse-profile", str(SHARED / "curridabat-cri-v2.txt")]) == 0
    assert "added version 2018-full of Curridabat" in capsys.readouterr().out
    assert versions.version_ids("Curridabat", data_copy) == ["2018-full", "2020-full"]
    assert data.available_cities(data_copy).count("Curridabat") == 1
    assert not (data_copy / "profiles" / "curridibat.yaml").exists()


def test_validate_checks_the_version_files(data_copy):
    path = data_copy / versions.VERSIONS / "toronto" / "2018-full.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  added: 1", "  added: 0"),
                    encoding="utf-8")
    expected = ("data/profile_versions/toronto/2018-full.yaml: page.added: Input should be "
                "greater than or equal to 1")
    assert data.validate(data_copy) == [expected]
    assert data.validate(path) == [expected]
