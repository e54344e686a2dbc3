"""From a real page to a report: each city of ../shared/profiles, parsed with `parse-profile
--url` into a copy of data/, validates and cites its page; a partial profile paired with a region
gets a clean report. The report of every city in data/ is tested in test_all_cities_*.py."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from city_reports import DIRTY, REGION_NOTEBOOKS, outputs
from test_shared_profiles import SHARED, shared_texts

from city_innovation import data, paths
from city_innovation.cli import main
from city_innovation.ingest.profile_page import parse_file


def newest_texts() -> dict[str, Path]:
    """Each city's newest text: the latest population year, then the latest version."""
    best: dict[str, tuple[tuple[int, str], Path]] = {}
    cities = {row["file"]: row["city"] for row in sources_rows()}
    for text in shared_texts():
        p = parse_file(text).profile
        city = cities[text.name]
        rank = ((p.population.year or 0) if p.population else 0, text.stem)
        if city not in best or rank > best[city][0]:
            best[city] = (rank, text)
    return {city: path for city, (_, path) in sorted(best.items())}


def sources_rows() -> list[dict[str, str]]:
    """SOURCES.tsv: each text's file name, address and city (skipped, or failed under
    CITY_INNOVATION_REQUIRE_SEEDS=1, where ../shared/profiles is absent)."""
    shared_texts()
    with (SHARED / "SOURCES.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def addresses() -> dict[str, str]:
    return {row["file"]: row["url"] for row in sources_rows()}


def without_parsed_pages(root: Path) -> None:
    """Remove the committed profiles read from the shared pages, and the bibliography entries
    only they cite, so that parse-profile writes and cites each page afresh."""
    bench = (root / "survey" / "benchmarks.csv").read_text(encoding="utf-8")
    for text in newest_texts().values():
        p = parse_file(text).profile
        (root / "profiles" / f"{data.slug(p.city)}.yaml").unlink()
        sid = f"oecd-map-{data.slug(p.city)}"
        if f",{sid}," in bench:
            continue
        path = root / "sources.yaml"
        path.write_text(re.sub(rf"^  - id: {re.escape(sid)}\n(?:    .*\n)*", "",
                               path.read_text(encoding="utf-8"), flags=re.MULTILINE),
                        encoding="utf-8")


@pytest.fixture(scope="module")
def city_data(tmp_path_factory) -> tuple[Path, list[str]]:
    """A copy of data/ with every city's newest page parsed into it (and its source added)."""
    root = tmp_path_factory.mktemp("cities") / "data"
    shutil.copytree(paths.REPO_ROOT / "data", root)
    without_parsed_pages(root)
    shutil.copy(root / "sources.yaml", root.parent / "sources-before.yaml")
    urls = addresses()
    cities = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.ENV_VAR, str(root))
        for text in newest_texts().values():
            assert main(["parse-profile", str(text), "--url", urls[text.name]]) == 0
            cities.append(parse_file(text).profile.city)
    return root, cities


def test_parsed_pages_validate_and_cite_their_page(city_data):
    root, cities = city_data
    assert data.validate(root) == []
    sources = data.load_sources(root)
    for city in cities:
        sid = f"oecd-map-{data.slug(city)}"
        assert sources[sid].kind == "city-profile" and sources[sid].url.startswith("https://")
    # the bibliography kept every earlier entry as it was, byte for byte
    before = (root.parent / "sources-before.yaml").read_text(encoding="utf-8")
    assert "oecd-map-vienna" not in before and "oecd-map-helsinki" in before
    assert (root / "sources.yaml").read_text(encoding="utf-8").startswith(before)


@pytest.mark.notebook
def test_partial_profile_paired_with_a_region_runs_clean(city_data, tmp_path, monkeypatch,
                                                         capsys):
    """A partial profile whose data name a region gets the notebooks that read a region (02, 03
    and 05), cleanly, with that region."""
    root, _ = city_data
    paired = tmp_path / "data"
    shutil.copytree(root, paired)
    profile = paired / "profiles" / "stockholm.yaml"
    raw = yaml.safe_load(profile.read_text(encoding="utf-8"))
    profile.write_text(yaml.safe_dump({**raw, "region": "Helsinki-Uusimaa"},
                                      allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv(paths.ENV_VAR, str(paired))
    out = tmp_path / "reports"
    assert main(["report", "--out", str(out), "--quiet", "--format", "ipynb", "--jobs", "2",
                 "--city", "Stockholm", "--notebooks", "02,03,05"]) == 0, capsys.readouterr().err
    run = json.loads((out / "stockholm" / "run.json").read_text(encoding="utf-8"))
    assert run["skipped"] == [] and {nb["stem"] for nb in run["notebooks"]} == (
        REGION_NOTEBOOKS | {"02_funding_mix"})
    assert {nb["parameters"]["region"] for nb in run["notebooks"]} == {"Helsinki-Uusimaa"}
    for nb in run["notebooks"]:
        book = nbformat.read(out / "stockholm" / f"{nb['stem']}.ipynb", as_version=4)
        assert [t for t in outputs(book) if DIRTY.search(t)] == [], nb["stem"]
