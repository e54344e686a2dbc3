"""From a real page to a report: each city of ../shared/profiles, parsed with `parse-profile
--url` into a copy of data/, gets a report whose outputs are clean (one batch for all cities)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from test_shared_profiles import SHARED, shared_texts

from city_innovation import data, paths
from city_innovation.analysis import peers
from city_innovation.cli import main
from city_innovation.ingest.profile_page import parse_file
from city_innovation.params import NOTEBOOK_PARAMS
from city_innovation.report import plan
from city_innovation.store import versions

#: The notebooks that need a region: not run for a city without region data.
REGION_NOTEBOOKS = {path.stem for number, path in plan.discover(paths.NOTEBOOKS_DIR).items()
                    if "region" in NOTEBOOK_PARAMS[number].model_fields
                    and not getattr(NOTEBOOK_PARAMS[number], "REGION_OPTIONAL", False)}

#: The notebook comparing a city's page versions: run for every city with two or more.
ROUNDS = "06_city_across_rounds"

#: What must never appear in a report's outputs.
DIRTY = re.compile(r"Traceback|Error\b|Warning\b|warnings\.warn|/work/|/home/|/tmp/|/Users/|"
                   r"[A-Z]:\\\\|Empty DataFrame|<tbody>\s*</tbody>", re.IGNORECASE)


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


def outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Every text a notebook shows: stream text, plain-text and HTML results, errors."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append(o.text)
            elif o.output_type == "error":
                out.append(f"{o.ename}: {o.evalue}")
            else:
                out += [str(o.data.get(k, "")) for k in ("text/plain", "text/html")]
    return out


#: What a reader's table must not show: pandas' missing-value markers.
READER_DIRTY = re.compile(r">\s*(NaN|&lt;NA&gt;|<NA>|None|nan)\s*<")


def reader_html(nb: nbformat.NotebookNode) -> list[str]:
    """The HTML tables the notebook shows."""
    return [str(o.data["text/html"]) for cell in nb.cells for o in cell.get("outputs", [])
            if o.output_type in ("execute_result", "display_data") and "text/html" in o.data]


def check_peer_sentences(city: str, folder: Path, run: dict) -> None:
    """Notebook 04's peers, sentences and headlines follow the data of ``city``."""
    chosen = peers.peer_cities(city)
    profiles = peers.load([city, *chosen])
    nb = nbformat.read(folder / "04_peer_cities.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.output_type == "stream")
    assert peers.peer_rule(city, chosen) in text
    staff = peers.team_staff(profiles)
    one = staff[staff["staff"].notna()]
    if len(one) > 1:  # the smallest and the largest team, with their cities
        lo, hi = one.loc[one["staff"].idxmin()], one.loc[one["staff"].idxmax()]
        assert f"({lo['city']}) to " in text and f"{int(hi['staff'])} ({hi['city']})" in text
    findings = next(nb["findings"] for nb in run["notebooks"] if nb["stem"] == "04_peer_cities")
    assert findings["Peer cities compared"] == len(chosen) == min(peers.DEFAULT_PEERS, 14)
    alike = peers.most_alike(peers.similarity(profiles), city)
    if not alike.empty:
        assert findings["Most alike peer"] == alike["city"].iloc[0]
        assert findings["headlines"][-1].startswith(
            f"{alike['city'].iloc[0]} is the peer most alike {city}: they share")


#: The European cities of data/profiles/: each is listed by a region file, so gets all five.
EUROPEAN = {"Amsterdam": "Noord-Holland", "Helsinki": "Helsinki-Uusimaa",
            "Lisbon": "Área Metropolitana de Lisboa", "Stockholm": "Stockholm", "Vienna": "Wien"}


@pytest.mark.notebook
@pytest.mark.batch
def test_report_for_all_cities_has_clean_outputs(tmp_path, capsys):
    """`report --city all` on the committed data: one run per profile, each clean; every
    European city gets the five region and city notebooks, the others 01, 02 and 04 with a line
    on 03 and 05; notebook 06 for each city with two page versions or more, skipped with its
    reason for the others."""
    cities = data.available_cities()
    profiles = sorted((paths.REPO_ROOT / "data" / data.PROFILES).glob("*.yaml"))
    assert len(cities) == len(profiles) and set(EUROPEAN) <= set(cities)
    assert {"03_specialisation_themes", "05_targets_2030"} == REGION_NOTEBOOKS
    multi = set(versions.cities_with_versions())
    assert multi <= set(cities) and {"Stockholm", "Denver, CO", "Curridabat"} <= multi
    out = tmp_path / "reports"
    assert main(["report", "--out", str(out), "--quiet", "--format", "ipynb", "--jobs", "2",
                 "--city", "all"]) == 0, capsys.readouterr().err
    top = (out / "index.html").read_text(encoding="utf-8")
    every = set(plan.discover(paths.NOTEBOOKS_DIR)) - {ROUNDS[:2]}
    for city in cities:
        folder = out / data.slug(city)
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        ran = {nb["stem"] for nb in run["notebooks"]}
        assert {"01_innovation_profile", "02_funding_mix", "04_peer_cities"} <= ran
        assert run["status"] == "ok" and f"{data.slug(city)}/index.html" in top
        skipped = {s["notebook"]: s["reason"] for s in run["skipped"]}
        if city in multi:
            assert ROUNDS in ran and ROUNDS not in skipped
        else:
            assert ROUNDS not in ran and "needs two page versions" in skipped.pop(ROUNDS)
        if city in EUROPEAN:
            assert skipped == {} and len(ran - {ROUNDS}) == len(every) == 5, city
            regions = {nb["parameters"].get("region") for nb in run["notebooks"]} - {None}
            assert regions == {EUROPEAN[city]}, city
        else:
            assert set(skipped) == REGION_NOTEBOOKS and ran.isdisjoint(REGION_NOTEBOOKS)
            assert all("needs a region" in why for why in skipped.values())
            assert "Not run: <strong>03_specialisation_themes</strong>" in (
                folder / "index.html").read_text(encoding="utf-8")
        for stem in ran:
            nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
            dirty = [t for t in outputs(nb) if DIRTY.search(t)]
            assert dirty == [], f"{city} {stem}"
            assert not [t for t in reader_html(nb) if READER_DIRTY.search(t)], f"{city} {stem}"
        check_peer_sentences(city, folder, run)
    # the funding notebook's glossary follows the region's data, not Helsinki-Uusimaa's
    vienna = nbformat.read(out / "vienna" / "02_funding_mix.ipynb", as_version=4)
    shown = " ".join(outputs(vienna)) + " ".join(
        str(o.get("data", {}).get("text/markdown", "")) for c in vienna.cells
        for o in c.get("outputs", []))
    assert "Wien's strategy names no funding instrument in `data/`" in shown
    assert "6Aika" not in shown and "Helsinki-Uusimaa" not in shown
    findings = {nb["stem"]: nb["findings"] for nb in json.loads(
        (out / "vienna" / "run.json").read_text(encoding="utf-8"))["notebooks"]}
    assert findings["05_targets_2030"]["headlines"][0] == (
        "Wien, R&D expenditure (GERD), all sectors: 3.65% in 2019, 0.65 points above the "
        "European Union's 3% target for 2030. The target's record is flagged: contradictory "
        "(rd-target-year).")
    assert findings["03_specialisation_themes"]["Strategy periods"] == 1


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
