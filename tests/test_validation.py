"""Bad data is refused with one message naming file, field and rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from city_innovation import data
from city_innovation.cli import main
from city_innovation.errors import NotFoundError

PROFILE = Path("profiles") / "helsinki.yaml"
REGION = Path("regions") / "helsinki-uusimaa.yaml"


def _edit(root: Path, rel: Path, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (PROFILE, "stated_count: 9", "stated_count: nine",
         "profiles/helsinki.yaml: roles.stated_count: Input should be a valid integer"),
        (PROFILE, "source: oecd-map-helsinki\n  locator: profile header\n\npopulation",
         "source: no-such-source\n  locator: profile header\n\npopulation",
         "profiles/helsinki.yaml: mayor.source: unknown source id 'no-such-source'"),
        (PROFILE, "activity: Launching or sustaining a project, cities: 79",
         "activity: Launching or sustaining a project, cities: -79",
         "funded_activities.survey_counts.1.cities: Input should be greater than or equal to 0"),
        (PROFILE, "survey_share: {value: 81,", "survey_share: {value: 181,",
         "dedicated_funding.survey_share.value: Input should be less than or equal to 100"),
        (REGION, "id: health-wellness-2018", "id: urban-cleantech-2018",
         "regions/helsinki-uusimaa.yaml: periods.themes: duplicate theme id "
         "'urban-cleantech-2018'"),
        (REGION, "to_theme: health-wellness-2018", "to_theme: no-such-theme",
         "theme 'no-such-theme' does not exist"),
        (PROFILE, "city: Helsinki", "city: [Helsinki",
         "profiles/helsinki.yaml: line 4: invalid YAML"),
        (PROFILE, "status: unknown}", "status: plenty}",
         "data_availability.areas.0.status: Input should be 'sufficient', 'insufficient' or "
         "'unknown'"),
        (PROFILE, "country: Finland\n", "country: Finland\nregion: Atlantis\n",
         "profiles/helsinki.yaml: region: unknown region 'Atlantis' (allowed: Área Metropolitana "
         "de Lisboa, Attiki, Helsinki-Uusimaa, Île-de-France, Noord-Holland, País Vasco, "
         "Stockholm, Wien in regions/)"),
        (PROFILE, "country: Finland\n", "country: Finland\npolicy_areas_status: empty\n",
         "policy_areas_status 'empty' with policy areas listed (allowed: listed)"),
        (PROFILE, "  value: 653867\n  year: 2019\n", "  year: 2019\n",
         "helsinki.yaml: population: a population needs a value or the figure as printed"),
    ],
)
def test_broken_file_is_refused(data_copy, rel, old, new, expected):
    _edit(data_copy, rel, old, new)
    problems = data.validate(data_copy)
    assert any(expected in p for p in problems), problems


def test_share_above_100_in_benchmarks(data_copy):
    path = data_copy / "survey" / "benchmarks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ",81,,percent," in line)
    lines[row] = lines[row].replace(",81,,percent,", ",181,,percent,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = data.validate(data_copy)
    assert problems == [f"data/survey/benchmarks.csv: line {row + 1}: value: benchmark "
                        f"{lines[row].split(',')[0]!r} is a share above 100 percent "
                        "(allowed: 0-100)"]


def test_missing_file(data_copy):
    (data_copy / "sources.yaml").unlink()
    assert "data/sources.yaml: file not found" in data.validate(data_copy)


def test_validate_one_file(data_copy, capsys):
    _edit(data_copy, REGION, "start: 2021", "start: 2022")
    assert main(["validate", str(data_copy / REGION)]) == 1
    err = capsys.readouterr().err
    assert "periods.2: Value error" not in err
    assert "periods.2: period '2021-2027': id must be 'start-end' with start <= end" in err


def test_cli_validate_ok(capsys):
    assert main(["validate"]) == 0
    assert "is valid" in capsys.readouterr().out


def test_cli_errors_are_one_line_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "city_innovation.cli", "summary", "--city",
                           "Atlantis"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: city 'Atlantis' not found in profiles/ (available: Alexandria; Amsterdam; "
        "Chelsea; Chicago; Curridabat; Denver, CO; Detroit; Helsinki; Lisbon; Philadelphia; "
        "Seoul; Stockholm; Toronto; Tulsa; Vienna)"]


def test_summary_is_real_output(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "Jan Vapaavuori" in out and "653,867 (2019)" in out
    assert "9 stated, 7 listed" in out
    assert "2018-2020 (4 spearheads, approved 2017)" in out
    assert "Citizens' city; Climate neutrality; Industrial modernisation" in out


def test_benchmarks_not_utf8(data_copy):
    (data_copy / "survey" / "benchmarks.csv").write_bytes(b"id,value\n\xff\xfe,1\n")
    assert data.validate(data_copy) == ["data/survey/benchmarks.csv: not UTF-8 text"]


def test_benchmarks_header_only_is_an_empty_table(data_copy):
    path = data_copy / "survey" / "benchmarks.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert data.validate(data_copy) == []
    assert data.benchmarks(data_copy).empty


def test_validate_checks_the_csv_it_is_given(data_copy):
    other = data_copy / "survey" / "other.csv"
    lines = (data_copy / "survey" / "benchmarks.csv").read_text(encoding="utf-8").splitlines()
    other.write_text("\n".join([lines[0], lines[1].replace(",89,", ",-89,", 1)]) + "\n",
                     encoding="utf-8")
    problems = data.validate(other)
    assert len(problems) == 1 and problems[0].startswith("data/survey/other.csv: line 2: value:")


def test_a_changed_bibliography_is_seen(data_copy):
    assert data.validate(data_copy) == []
    sources = data_copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("id: usc-helsinki-2019", "id: usc-renamed"), encoding="utf-8")
    assert any("unknown source id 'usc-helsinki-2019'" in p for p in data.validate(data_copy))


def test_validate_missing_path_is_bad_input(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == (f"error: validate: {tmp_path / 'nowhere'}: no such file or "
                                       "folder (allowed: a data folder or one of its files)\n")


def test_unwritable_output_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["teaching", "--out", str(blocker / "handout")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_data_folder_without_profiles(tmp_path, monkeypatch):
    monkeypatch.setenv("CITY_INNOVATION_DATA", str(tmp_path))
    with pytest.raises(NotFoundError, match=r"has no profiles/ folder"):
        data.load_profile("Helsinki")


def test_region_with_one_period_is_accepted_and_no_period_refused(tmp_path, monkeypatch):
    import shutil

    from city_innovation.errors import ParameterError
    from city_innovation.params import ThemesParams

    root = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "data", root)
    (root / "regions" / "test-region.yaml").write_text(
        "region: Test Region\ncountry: Nowhere\nperiods:\n"
        "  - {id: 2010-2015, start: 2010, end: 2015, source: test-region-page, themes: [\n"
        "      {id: green-tech-2010, name: Green tech, summary: clean energy,\n"
        "       focus_areas: [clean energy]}]}\n", encoding="utf-8")
    monkeypatch.setenv("CITY_INNOVATION_DATA", str(root))
    assert data.validate(root) == []
    assert ThemesParams.parse(region="Test Region", city="Testville").periods == ["2010-2015"]
    with pytest.raises(ParameterError, match=r"periods: give one period or more \(allowed: "
                                             r"\['2010-2015'\]\)"):
        ThemesParams.parse(region="Test Region", city="Testville", periods=[])


def _helsinki_uusimaa_with(change) -> dict:
    """Helsinki-Uusimaa's region file as data, changed by ``change``."""
    raw = data.load_region("Helsinki-Uusimaa").model_dump(mode="json", exclude_none=True)
    change(raw)
    return raw


def test_an_overlap_with_an_unknown_instrument_is_refused() -> None:
    from pydantic import ValidationError

    from city_innovation.store.models import Region

    def change(raw: dict) -> None:
        raw["instruments"][0]["overlaps"] = {"other": "no-such-fund", "why": "is one of them"}

    with pytest.raises(ValidationError, match=r"overlaps\.other: 'no-such-fund' is not an "
                                              r"instrument id of this file"):
        Region.model_validate(_helsinki_uusimaa_with(change))


def test_region_rules_come_from_the_region_file() -> None:
    """The overlap sentence and the weakened entries follow the file, not a list in the code."""
    from city_innovation.analysis import funding, instruments
    from city_innovation.store.models import Region

    def change(raw: dict) -> None:
        for inst in raw["instruments"]:
            inst.pop("overlaps", None)
        for flag in raw["flags"]:
            flag.pop("weakens", None)

    bare = Region.model_validate(_helsinki_uusimaa_with(change))
    region = data.load_region("Helsinki-Uusimaa")
    city = data.load_profile("Helsinki")
    assert instruments.overlap_notes(bare, instruments.instrument_matrix(bare)) == []
    assert any("is one of the EU structural funds" in line for line in
               instruments.overlap_notes(region, instruments.instrument_matrix(region)))
    assert funding.entry_status(city, region) == {
        ("city", None): (funding.UNCONFIRMED, "funding-sources-repeated"),
        ("region", "smart-clean-foundation"): (funding.NOT_A_FUNDER,
                                               "smart-clean-foundation-role")}
    assert funding.entry_status(city, bare) == {
        ("city", None): (funding.UNCONFIRMED, "funding-sources-repeated")}
