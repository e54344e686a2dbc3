"""Regions as first-class data: each file, pairing, stand-ins and the cross-region comparison."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from city_innovation import data
from city_innovation.analysis import regions
from city_innovation.errors import DataError
from city_innovation.paths import data_dir
from city_innovation.present import glossary
from city_innovation.store.models import Region

#: The main city each region file lists, and the region's NUTS 2 code.
MAIN_CITIES = {"Área Metropolitana de Lisboa": ("Lisbon", "PT17"),
               "Stockholm": ("Stockholm", "SE11"), "Wien": ("Vienna", "AT13"),
               "Attiki": ("Athens", "EL30"),
               "País Vasco": ("Bilbao", "ES21"), "Île-de-France": ("Paris", "FR10"),
               "Noord-Holland": ("Amsterdam", "NL32"), "Helsinki-Uusimaa": ("Helsinki", "FI1B")}


@pytest.mark.parametrize("name", sorted(MAIN_CITIES))
def test_each_region_validates_and_lists_its_city(name):
    region = data.load_region(name)
    city, code = MAIN_CITIES[name]
    assert city in region.cities and region.nuts_code == code
    assert data.validate(data.region_path(name)) == []
    grades = {k: s.grade for k, s in data.load_sources().items()}
    themes = data.themes(region)
    assert themes["source"].map(grades).isin(list("ABCD")).all(), "every theme source graded"


@pytest.mark.parametrize("city,region", [("Vienna", "Wien"), ("Stockholm", "Stockholm"),
                                         ("Lisbon", "Área Metropolitana de Lisboa"),
                                         ("Amsterdam", "Noord-Holland"),
                                         ("Helsinki", "Helsinki-Uusimaa"), ("Chicago", None)])
def test_pairing_comes_from_the_region_files(city, region):
    assert data.paired_region(city) == region


def test_national_strategy_stands_in_only_where_the_region_has_none():
    attiki = data.load_region("Attiki")
    periods = data.periods(attiki)
    assert periods[["period", "scope"]].values.tolist() == [["2014-2020", "region"],
                                                            ["2021-2027", "national"]]
    lisbon = data.load_region("Área Metropolitana de Lisboa")
    # the region has its own 2021-2027 list: the national ENEI 2030 is kept beside, not in place
    assert data.periods(lisbon)["scope"].tolist() == ["region", "region"]
    assert [p.scope for p in lisbon.national] == ["national"]


def test_one_period_region_and_sub_priorities_under_their_priority():
    wien = data.load_region("Wien")
    assert [p.id for p in wien.periods] == ["2021-2027"] and len(wien.periods[0].themes) == 6
    attiki = data.themes(data.load_region("Attiki"))
    blue = attiki[attiki["theme"] == "Blue economy"].iloc[0]
    assert blue["sub_priorities"] == ["Environmental technology", "Aquatic biotechnology",
                                      "Shipping, smart transport and green shipping"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def test_a_city_listed_by_two_regions_is_refused(data_copy):
    path = data_copy / "regions" / "wien.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- Vienna", "- Vienna\n- Stockholm"),
                    encoding="utf-8")
    problems = data.validate(data_copy)
    assert problems == ["regions/: cities: 'stockholm' is listed by stockholm.yaml and wien.yaml "
                        "(allowed: one region file per city)"]


def test_a_period_without_priorities_is_refused(data_copy):
    path = data_copy / "regions" / "wien.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("  themes:")] + "  themes: []\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"periods\.0\.themes: List should have at least 1 item"):
        data.load_region("Wien", data_copy)


def test_eu_targets_apply_with_their_grades():
    eu = regions.eu_targets()
    grades = {k: s.grade for k, s in data.load_sources().items()}
    rd = [(t.target_year, t.target_value, grades[t.source]) for t in eu.targets
          if t.eurostat_indicator == "gerd_pc_gdp"]
    assert rd == [(2020, 3, "A"), (2030, 3, "D")]


# --- the region among the others: invented labels, hand-worked numbers -------------------------


def _region(name: str, code: str, themes: list[tuple[str, str]], scope: str = "region") -> Region:
    period = {"id": "2021-2027", "start": 2021, "end": 2027, "source": themes[0][1],
              "themes": [{"id": f"t{i}", "name": n, "source": s}
                         for i, (n, s) in enumerate(themes)]}
    key = "national" if scope == "national" else "periods"
    own = [] if scope == "national" else [period]
    body = {"region": name, "country": "X", "nuts_code": code, "periods": own or [
        {"id": "2014-2020", "start": 2014, "end": 2020, "source": "old",
         "themes": [{"id": "old", "name": "Tourism"}]}]}
    if key == "national":
        body["national"] = [{**period, "scope": "national"}]
    return Region.model_validate(body)


def test_sector_matrix_jaccard_and_sentences_on_invented_labels():
    grades = {"a": "A", "b": "B", "c": "C", "d": "D", "old": "A"}
    alpha = _region("Alpha", "XX01", [("Health and care", "a"), ("Digital services", "b")])
    beta = _region("Beta", "XX02", [("Medical devices", "c"), ("Tourism", "c")])
    gamma = _region("Gamma", "XX03", [("Energy", "d")], scope="national")
    labels = regions.latest_labels([alpha, beta, gamma], grades)
    assert labels["scope"].tolist() == ["region", "region", "region", "region", "national"]
    matrix = regions.sector_matrix(labels)
    assert [(str(r), str(s), g) for r, s, g in matrix[["region", "sector", "grade"]].values] == [
        ("Alpha", "health & life sciences", "A"), ("Alpha", "digital & ICT", "B"),
        ("Beta", "health & life sciences", "C"), ("Beta", "tourism", "C"),
        ("Gamma", "energy & climate", "D")]
    jac = regions.jaccard_table(matrix)
    # Alpha {health, digital} and Beta {health, tourism}: 1 shared of 3 -> 1/3; Gamma shares none
    assert jac.loc["Alpha", "Beta"] == pytest.approx(1 / 3)
    assert jac.loc["Alpha", "Gamma"] == 0 and jac.loc["Beta", "Beta"] == 1
    shared = regions.shared_sectors(matrix, "Alpha")
    assert shared[["sector", "n_others", "others"]].values.tolist() == [
        ["health & life sciences", 1, "Beta (C)"], ["digital & ICT", 0, ""]]
    assert regions.shared_text(shared, "Alpha", 3) == (
        "Of Alpha's 2 sectors, health & life sciences is the most shared: 1 of the 2 other "
        "regions name it. Only Alpha names digital & ICT.")
    assert regions.closest_text(jac, "Alpha") == "Closest by sectors (Jaccard index 0.33): Beta."


def test_every_label_in_the_data_falls_into_a_sector():
    grades = {k: s.grade for k, s in data.load_sources().items()}
    everything = [data.load_region(n) for n in data.available_regions()]
    for r in everything:
        for p in [*r.periods, *r.national]:
            for t in p.themes:
                text = "; ".join([t.name, *t.sub_priorities, *t.focus_areas])
                assert regions.sectors_in(text), f"{r.region} {p.id}: {t.name!r} has no sector"
    assert len(regions.latest_labels(everything, grades)) > 0


def test_glossary_explains_only_the_instruments_the_region_names():
    helsinki = data.load_region("Helsinki-Uusimaa")
    text = glossary.glossary(data.instruments(helsinki), "Helsinki-Uusimaa")
    assert ("- **6Aika (Six Cities)**: a joint urban-development strategy of six of Finland's "
            "largest cities, whose projects run on EU structural-fund and national money. Named "
            "in Helsinki-Uusimaa's strategy for: Citizen city (2018-2020).") in text.splitlines()
    assert text.count("\n- **") == 6  # smart specialisation + six terms
    wien = glossary.glossary(data.instruments(data.load_region("Wien")), "Wien")
    assert wien.splitlines()[1] == ("- Wien's strategy names no funding instrument in `data/`, "
                                    "so no instrument needs explaining.")
    assert "6Aika" not in wien and "Helsinki" not in wien


# --- new-region, then validate -----------------------------------------------------------------


def test_new_region_then_validate_unfilled_and_filled(data_copy, monkeypatch, capsys):
    from city_innovation.cli import main

    monkeypatch.setenv("CITY_INNOVATION_DATA", str(data_copy))
    assert main(["new-region", "at12"]) == 0
    path = data_copy / "regions" / "niederosterreich.yaml"
    text = path.read_text(encoding="utf-8")
    assert "region: Niederösterreich\ncountry: Austria\nnuts_code: AT12\n" in text
    assert "#   gerd_pc_gdp: R&D expenditure (GERD), all sectors, 2009-2019 (6 values)" in text
    capsys.readouterr()
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    name = "regions/niederosterreich.yaml"
    assert [line.split(": ", 2)[1] for line in err[:-1]] == [
        "periods.0.source", "periods.0.id", "periods.0.start", "periods.0.end",
        "periods.0.themes.0.id", "periods.0.themes.0.name"]
    assert all(name in line and "empty, to fill in" in line for line in err[:-1])
    assert err[-1] == "6 problem(s) found"
    filled = (text.replace("  - id: ''", "  - id: 2021-2027").replace("start: null", "start: 2021")
              .replace("end: null", "end: 2027").replace("source: ''", "source: rim-ris3-attiki")
              .replace("{id: '', name: '',", "{id: health-21, name: Health,")
              .replace("cities: []", "cities: [St. Pölten]"))
    path.write_text(filled, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert data.paired_region("Vienna", data_copy) == "Wien"


@pytest.mark.parametrize("code,message", [
    ("AT13", "error: NUTS code AT13: regions/wien.yaml already is its region file (allowed: a "
             "NUTS 2 code without a file; edit that file instead)"),
    ("AT19", "error: NUTS code 'AT19': not a NUTS 2 region of indicators/nuts_regions.csv "
             "(nearest: AT31 Oberösterreich, AT21 Kärnten, AT13 Wien, AT12 Niederösterreich)"),
])
def test_new_region_refuses_in_one_line_and_writes_nothing(data_copy, monkeypatch, capsys,
                                                            code, message):
    from city_innovation.cli import main

    monkeypatch.setenv("CITY_INNOVATION_DATA", str(data_copy))
    before = sorted(p.name for p in (data_copy / "regions").iterdir())
    assert main(["new-region", code]) == 2
    assert capsys.readouterr().err.strip() == message
    assert sorted(p.name for p in (data_copy / "regions").iterdir()) == before


def test_region_by_nuts_code_and_unknown_code_with_nearest():
    assert data.load_region("at13").region == "Wien"
    with pytest.raises(Exception, match=r"region 'AT19' not found in regions/ .* as a NUTS code, "
                                        r"nearest known: AT31 Oberösterreich, AT21 Kärnten, "
                                        r"AT13 Wien, AT12 Niederösterreich"):
        data.region_path("AT19")


def _themes_findings(name: str, periods: list[str] | None = None) -> tuple[dict, list[str]]:
    """Notebook 03's findings for region ``name``, computed as the notebook computes them."""
    from city_innovation.analysis import themes

    region = data.load_region(name)
    table = themes.select_periods(data.themes(region), periods)
    chosen = [str(p) for p in table["period"].unique()]
    links = themes.documented_links(data.lineage(region), table)
    everyone = [data.load_region(n) for n in data.available_regions()]
    sectors = regions.sector_matrix(regions.latest_labels(everyone, regions.source_grades()))
    return regions.findings(name, chosen, table, links, regions.shared_sectors(sectors, name),
                            regions.jaccard_table(sectors), data.flags(region))


def test_themes_findings_of_a_region_with_three_periods_and_one_with_one():
    found, headlines = _themes_findings("Helsinki-Uusimaa")
    assert found == {"Region": "Helsinki-Uusimaa", "Strategy periods": 3, "Themes": 12,
                     "National strategy standing in": "none",
                     "Sectors shared with other regions": 7,
                     "Closest region by sectors": "Closest by sectors (Jaccard index 0.88): "
                                                  "Attiki.",
                     "Data-quality flags": 28}
    assert headlines[0] == ("Helsinki-Uusimaa's themes in 2021-2027: Citizens' city; Climate "
                            "neutrality; Industrial modernisation (12 themes over 3 periods in "
                            "the data).")
    assert headlines[2] == ("Of Helsinki-Uusimaa's 7 sectors, health & life sciences is the most "
                            "shared: 7 of the 7 other regions name it.")
    found, headlines = _themes_findings("Wien")
    assert (found["Strategy periods"], found["Themes"]) == (1, 6)
    assert headlines[0].endswith("(6 themes over 1 period in the data).")
    assert headlines[1] == ("Wien has one strategy period in the data (2021-2027), so no theme "
                            "can be followed from an earlier one.")
    found, _ = _themes_findings("Attiki")
    assert found["National strategy standing in"] == "2021-2027"
