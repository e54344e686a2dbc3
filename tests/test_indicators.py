"""data/indicators/: the committed Eurostat table is what the build step makes of the extract,
and the observed series are valid, cited and named."""

from __future__ import annotations

import csv

import pytest
from helpers import DATA, FIXTURE_DATA
from test_shared_profiles import missing_shared

from city_innovation import cli, data, paths
from city_innovation.ingest import eurostat
from city_innovation.store import models

RESEARCH = paths.REPO_ROOT.parent / "shared" / "research"


@pytest.fixture
def research():
    if not (RESEARCH / "eurostat").is_dir():
        missing_shared("../shared/research/eurostat is not available")
    return RESEARCH


def test_committed_table_equals_the_build(research, tmp_path):
    built = eurostat.build(research, DATA / data.NUTS_NAMES)
    out = eurostat.write(built, tmp_path / "eurostat_regions.csv")
    assert out.read_bytes() == (DATA / data.EUROSTAT).read_bytes()


def test_build_command_writes_the_same_table(research, tmp_path, capsys):
    out = tmp_path / "e.csv"
    assert cli.main(["build-indicators", "--research", str(research), "-o", str(out)]) == 0
    assert out.read_bytes() == (DATA / data.EUROSTAT).read_bytes()
    assert "values of 5 series" in capsys.readouterr().out


def test_build_without_extract_is_one_line(tmp_path, capsys):
    assert cli.main(["build-indicators", "--research", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no eurostat/ folder" in err


def test_fi1b_rd_intensity_as_in_the_extract(research):
    rows = list(csv.DictReader((research / "eurostat" / "rd_e_gerdreg_total_pc_gdp.csv").open()))
    raw = {int(r["year"]): float(r["rd_e_gerdreg_total_pc_gdp"]) for r in rows
           if r["region_id"] == "FI1B" and r["rd_e_gerdreg_total_pc_gdp"]}
    table = data.eurostat_values()
    mine = table[(table["indicator"] == "gerd_pc_gdp") & (table["region_code"] == "FI1B")]
    assert dict(zip(mine["year"], mine["value"], strict=True)) == \
        {y: v for y, v in raw.items() if y >= 2009}


def test_only_named_nuts2_codes_and_no_duplicates():
    table = data.eurostat_values()
    names = data.nuts_names()
    assert set(table["region_code"]) <= set(names["code"])
    assert not {"EA19", "NO01", "FR21", "UKI1"} & set(table["region_code"])
    assert not table.duplicated(["indicator", "region_code", "year"]).any()
    assert set(table["source"]) == {s.source for s in eurostat.SERIES.values()}
    sources = data.load_sources()
    assert set(table["source"]) | {"nuts-2021-names"} <= set(sources)
    assert names.loc[names["code"] == "FI1B", "name"].item() == "Helsinki-Uusimaa"


def test_headers_are_the_models_fields():
    for path, model in ((DATA / data.EUROSTAT, models.EurostatValue),
                        (DATA / data.NUTS_NAMES, models.NutsName),
                        (FIXTURE_DATA / data.EUROSTAT, models.EurostatValue),
                        (FIXTURE_DATA / data.NUTS_NAMES, models.NutsName)):
        with path.open(newline="", encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == list(model.model_fields), path


def test_bad_rows_are_reported_per_line(data_copy):
    path = data_copy / data.EUROSTAT
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("rd_e_gerdreg,gerd_pc_gdp,AT11,2010,2009,")
    lines[1] = lines[1].replace("eurostat-rd-e-gerdreg", "no-such-source")
    lines[2] = lines[2].replace(",AT11,", ",at-11,")
    lines.append(lines[3])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = data.validate(data_copy)
    assert problems[0] == ("data/indicators/eurostat_regions.csv: line 2: source: unknown source "
                           "id 'no-such-source' (allowed: ids in sources.yaml)")
    assert problems[1].startswith("data/indicators/eurostat_regions.csv: line 3: region_code: "
                                  "String should match pattern")
    assert problems[2].startswith(
        f"data/indicators/eurostat_regions.csv: line {len(lines)}: indicator, region_code, "
        "year: duplicate value of ('gerd_pc_gdp', 'AT11', ")
    assert len(problems) == 3


def test_region_codes_must_be_in_the_list(data_copy):
    path = data_copy / "regions" / "helsinki-uusimaa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nuts_code: FI1B", "nuts_code: FI9Z"),
                    encoding="utf-8")
    assert data.validate(data_copy) == [
        "data/regions/helsinki-uusimaa.yaml: nuts_code: 'FI9Z' is not in "
        "indicators/nuts_regions.csv"]
