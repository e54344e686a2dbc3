"""Gap, pace and ranking functions, with hand-worked numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from city_innovation import data
from city_innovation.analysis import targets
from city_innovation.store.models import Region


def _series(pairs: dict[int, float], target: str = "t", name: str = "s") -> pd.DataFrame:
    return pd.DataFrame({"target_id": target, "series": name, "same_area": True,
                         "year": list(pairs), "value": list(pairs.values()), "unit": "% of GDP"})


def _target(value: float | None, year: int = 2030, target: str = "t") -> pd.DataFrame:
    return pd.DataFrame({"target_id": [target], "target_value": [value], "target_year": [year]})


def _row(pairs: dict[int, float], value: float | None, year: int = 2030) -> pd.Series:
    table = targets.progress(_series(pairs), _target(value, year))
    assert len(table) == 1
    return table.iloc[0]


def test_target_already_met():
    row = _row({2018: 4.0, 2020: 5.5}, 5.0)
    assert row["status"] == "met"
    assert row["gap"] == pytest.approx(-0.5)
    assert row["required_per_year"] == 0.0
    assert targets.progress_sentence(row) == (
        "s: 5.5% in 2020, already at or above the 5% target for 2030.")


def test_falling_series():
    # 4.0 (2010) -> 3.5 (2015) -> 3.0 (2020): -0.1 a year over five and over ten years.
    row = _row({2010: 4.0, 2015: 3.5, 2020: 3.0}, 5.0)
    assert row["status"] == "not met"
    assert row["gap"] == pytest.approx(2.0)
    assert row["required_per_year"] == pytest.approx(0.2)  # 2.0 / (2030 - 2020)
    assert (row["pace_5_from"], row["pace_5_per_year"]) == (2015, pytest.approx(-0.1))
    assert (row["pace_10_from"], row["pace_10_per_year"]) == (2010, pytest.approx(-0.1))
    assert row["projected"] == pytest.approx(2.0)  # 3.0 - 0.1 * 10
    assert targets.progress_sentence(row) == (
        "s: at the 2010-2020 pace (-0.1 percentage points a year over 10 years) it would be 2% "
        "in 2030, against the 5% target for 2030; reaching it needs +0.2 percentage points a "
        "year from 2020.")


def test_one_observation_only():
    row = _row({2023: 79.3}, 80.0)
    assert row["gap"] == pytest.approx(0.7)
    assert row["required_per_year"] == pytest.approx(0.1)  # 0.7 / 7 years
    assert pd.isna(row["pace_5_per_year"]) and pd.isna(row["pace_10_per_year"])
    assert pd.isna(row["pace_5_from"]) and pd.isna(row["projected"])
    assert "the only observation in ten years, so no observed pace" in \
        targets.progress_sentence(row)


def test_gap_year_shortens_the_window_instead_of_filling_it():
    # No 2014: the five-year window 2014-2019 starts at 2015 (four years), never at an
    # interpolated 2014; the ten-year window uses 2009.
    pairs = {2009: 4.11, 2010: 4.17, 2011: 4.14, 2012: 3.91, 2013: 3.84, 2015: 3.55,
             2016: 3.41, 2017: 3.47, 2018: 3.47, 2019: 3.5}
    series = _series(pairs)
    five = targets.observed_pace(series, 5)
    assert (five.start_year, five.end_year) == (2015, 2019)
    assert five.per_year == pytest.approx((3.5 - 3.55) / 4)  # -0.0125
    ten = targets.observed_pace(series, 10)
    assert (ten.start_year, ten.per_year) == (2009, pytest.approx(-0.061))
    row = _row(pairs, 5.0)
    assert row["projected"] == pytest.approx(3.5 - 0.061 * 11)  # 2.829 in 2030
    assert row["required_per_year"] == pytest.approx(1.5 / 11)


def test_required_pace_edge_cases():
    assert targets.required_pace(2020, 3.0, 5.0, 2020) is None
    assert targets.required_pace(2031, 3.0, 5.0, 2030) is None
    assert targets.required_pace(2020, 6.0, 5.0, 2030) == 0.0
    assert targets.projection(2019, 3.5, -0.061, 2030) == pytest.approx(2.829)


def test_target_without_value_gets_no_gap():
    row = _row({2015: 5216.0, 2018: 4770.0}, None)
    assert row["status"] == "no value"
    assert pd.isna(row["gap"]) and pd.isna(row["required_per_year"])
    assert "the target has no numeric value" in targets.progress_sentence(row)


def test_two_values_for_one_year_are_refused():
    with pytest.raises(ValueError, match="split it by area or age band"):
        targets.latest(_series({2020: 1.0}).pipe(lambda f: pd.concat([f, f])))


def _values(rows: list[tuple[str, int, float]], indicator: str = "gerd_pc_gdp") -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "region_code": [r[0] for r in rows],
                         "year": [r[1] for r in rows], "value": [r[2] for r in rows],
                         "unit": "% of GDP", "source": "x"})


def test_ranking_ties_share_the_best_rank():
    table = targets.ranking(_values([("AA01", 2019, 3.0), ("AA02", 2019, 5.0),
                                     ("BB01", 2019, 5.0), ("BB02", 2019, 1.0),
                                     ("AA01", 2018, 9.0)]), "gerd_pc_gdp", 2019)
    assert list(table["region_code"]) == ["AA02", "BB01", "AA01", "BB02"]
    assert list(table["rank"]) == [1, 1, 3, 4]
    assert set(table["of"]) == {4}
    assert targets.rank_of(table, "AA01") == 3
    assert targets.rank_of(table, "ZZ99") is None


def test_latest_common_year_needs_the_region_and_enough_regions():
    # Four regions; 2020 has only the region (1 of 4 < half), 2019 lacks the region,
    # 2018 has the region and two others (3 of 4).
    values = _values([("AA01", 2020, 1.0), ("AA02", 2019, 1.0), ("AA03", 2019, 1.0),
                      ("AA04", 2019, 1.0), ("AA01", 2018, 1.0), ("AA02", 2018, 1.0),
                      ("AA03", 2018, 1.0)])
    assert targets.latest_common_year(values, "gerd_pc_gdp", "AA01") == 2018
    assert targets.latest_common_year(values, "gerd_pc_gdp", "AA01", min_share=0.2) == 2020
    assert targets.latest_common_year(values, "gerd_pc_gdp", "ZZ01") is None
    assert targets.missing_countries(
        _values([("AA01", 2019, 1.0), ("BB01", 2018, 1.0)]), "gerd_pc_gdp", 2019) == ["BB"]


def test_display_names_come_from_the_list_or_say_they_are_missing():
    names = pd.DataFrame({"code": ["FI1B"], "name": ["Helsinki-Uusimaa"]})
    assert targets.display_name("FI1B", names) == "Helsinki-Uusimaa (FI1B)"
    assert targets.display_name("NO01", names) == "NO01 (name not in the NUTS list)"


def test_region_series_keep_areas_and_age_bands_apart(region: Region):
    series = targets.target_series(region, data.eurostat_values())
    employment = series[series["target_id"] == "employment-rate"]
    assert sorted(employment["series"].unique()) == [
        "employment rate, ages 15-64, Helsinki region (14 municipalities)",
        "employment rate, ages 15-64, Helsinki-Uusimaa",
        "employment rate, ages 20-64, Helsinki region (14 municipalities)"]
    assert list(employment.loc[employment["same_area"], "year"]) == [2011, 2020]
    emissions = series[series["target_id"] == "climate-neutral"]
    assert not emissions["same_area"].any()
    metro = emissions[emissions["series"].str.contains("metropolitan")]
    # 4.18 Mt (2020) is put on the kt scale of the 2015 and 2018 figures.
    assert dict(zip(metro["year"], metro["value"], strict=True)) == {
        2015: 5216.0, 2018: 4770.0, 2020: 4180.0, 2021: 4070.0, 2024: 3200.0}
    assert set(metro["unit"]) == {"kt CO2e"}
    rd = series[series["target_id"] == "rd-expenditure"]
    assert 2014 not in set(rd["year"]) and rd["year"].max() == 2019
    assert rd["value"].iloc[-1] == 3.5
    assert set(rd["source"]) == {"eurostat-rd-e-gerdreg"}


def test_region_progress_rd_intensity(region: Region):
    table = targets.progress(targets.target_series(region, data.eurostat_values()),
                             data.targets(region))
    rd = table[table["target_id"] == "rd-expenditure"].iloc[0]
    assert (rd["latest_year"], rd["latest_value"], rd["gap"]) == (2019, 3.5, pytest.approx(1.5))
    assert rd["projected"] == pytest.approx(2.829)
    assert set(table.loc[table["target_id"] == "climate-neutral", "status"]) == {"no value"}


def test_targets_table_helsinki(region, helsinki):
    series = targets.target_series(region, data.eurostat_values())
    table = targets.targets_table(region.region, data.targets(region), series, helsinki.city,
                                  data.policy_areas(helsinki))
    assert table["target_year"].tolist() == [2030] * 6 + [2035]
    assert targets.missing_observations(table) == 1  # the city's goal has no observed series
    rd = table[table["target"] == "R&D expenditure 5% of GDP"].iloc[0]
    assert (rd["years"], rd["latest"]) == ("2009-2019, 10 values", "3.5 % of GDP (2019)")
    assert targets.neutrality_text(table, region.region, helsinki.city) == (
        "Helsinki-Uusimaa aims at a climate-neutral region by 2030; Helsinki's own goal "
        "(carbon neutral city) is dated 2035: the region's year is 5 years earlier than the "
        "city's.")
    undated = table.assign(target_year=table["target_year"].where(
        table["who"] != region.region))  # the region's goals without a year
    assert targets.neutrality_text(undated, region.region, helsinki.city) == (
        "No comparison of neutrality years: data/ holds no carbon- or climate-neutrality target "
        "year for the region Helsinki-Uusimaa (only for the city Helsinki, 2035).")
    regional = table[table["who"] != helsinki.city]
    assert targets.neutrality_text(regional, region.region, helsinki.city) == (
        "No comparison of neutrality years: data/ holds no carbon- or climate-neutrality target "
        "year for the city Helsinki (only for the region Helsinki-Uusimaa, 2030).")


def test_neutrality_years_keep_every_year_with_its_source(region, helsinki):
    years = targets.neutrality_years(region.region, data.targets(region), data.facts(region),
                                     helsinki.city, data.policy_areas(helsinki))
    assert years[["who", "year", "source"]].values.tolist() == [
        ["Helsinki-Uusimaa", 2030, "hsr-about-resource-wisdom"],
        ["Helsinki-Uusimaa", 2030, "uudenmaanliitto-regional-programme"],
        ["Helsinki-Uusimaa", 2035, "rakennerahastot-uusimaa-2018"],
        ["Helsinki", 2035, "hel-environment-report-2020"],
        ["Helsinki", 2030, "hel-environment-report-2022"],
        ["Helsinki", 2035, "oecd-map-helsinki"]]


def test_targets_fixture_region(test_region, testville, fixture_data):
    series = targets.target_series(test_region, data.eurostat_values(fixture_data))
    table = targets.targets_table(test_region.region, data.targets(test_region), series,
                                  testville.city, data.policy_areas(testville))
    assert table[["target", "years", "latest"]].values.tolist() == [
        ["R&D 3% of GDP", "2016-2019, 3 values", "2.1 % of GDP (2019)"],
        ["employment rate 75%", "2019", "71.5 percent (2019)"]]
    assert targets.missing_observations(table) == 0
    assert targets.neutrality_text(table, test_region.region, testville.city) == (
        "No comparison of neutrality years: data/ holds no carbon- or climate-neutrality target "
        "year for the region Test Region and the city Testville.")
    row = targets.progress(series, data.targets(test_region)).iloc[0]
    # 1.8 (2016), gap 2017, 2.0 (2018), 2.1 (2019): (2.1 - 1.8) / 3 = 0.1 a year.
    assert (row["pace_5_from"], row["pace_5_per_year"]) == (2016, pytest.approx(0.1))
    assert row["required_per_year"] == pytest.approx(0.15)  # (3 - 2.1) / 6
    assert row["projected"] == pytest.approx(2.7)  # 2.1 + 0.1 * 6


def test_figures_leave_gap_years_open(region):
    from city_innovation import plots

    assert plots.targets.year_runs([2012, 2013, 2015, 2016], [1.0, 2.0, 3.0, 4.0]) == [
        ([2012, 2013], [1.0, 2.0]), ([2015, 2016], [3.0, 4.0])]
    series = targets.target_series(region, data.eurostat_values())
    rd = series[series["target_id"] == "rd-expenditure"]
    table = targets.progress(rd, data.targets(region))
    target = data.targets(region).set_index("target_id").loc["rd-expenditure"]
    fig = plots.target_progress(rd, table, target.rename("rd-expenditure"))
    observed = [list(line.get_xdata()) for line in fig.axes[0].lines
                if line.get_marker() == "o" and len(line.get_xdata()) > 1]
    assert observed == [[2009, 2010, 2011, 2012, 2013], [2015, 2016, 2017, 2018, 2019]]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "gap +1.50" in texts and "2.83 at the 2009-2019 pace" in texts


def test_road_headline_names_a_flag_on_its_target():
    """Gap 1.0 point below 3% in 2020; the 2010-2020 pace is (2.0-1.0)/10 = 0.1 a year and
    the 2020-2030 need is 1.0/10 = 0.1 a year; a flag on the target's record is said."""
    series = _series({2010: 1.0, 2015: 1.5, 2020: 2.0}, name="R&D intensity, all sectors")
    table = targets.progress(series, _target(3.0).assign(area="European Union"))
    flags = pd.DataFrame({"flag_id": ["year-differs"], "field": ["targets.t"],
                          "problem": ["contradictory"]})
    plain = targets.road_headlines(table, _target(3.0).assign(area="European Union"), "R")
    said = targets.road_headlines(table, _target(3.0).assign(area="European Union"), "R",
                                  flags=flags)
    assert plain == ["R, R&D intensity: 2% in 2020, 1 points below the European Union's 3% "
                     "target for 2030; it needs +0.1 percentage points a year, against +0.1 "
                     "percentage points a year observed since 2010."]
    assert said == [plain[0] + " The target's record is flagged: contradictory (year-differs)."]
    other = flags.assign(field="targets.another")
    assert targets.road_headlines(table, _target(3.0).assign(area="European Union"), "R",
                                  flags=other) == plain


def _region_frames(name: str, city: str) -> dict:
    """What notebook 05 computes for a shipped region and city, with the EU targets added."""
    from city_innovation.analysis import regions

    region = regions.with_eu_targets(data.load_region(name))
    profile = data.load_profile(city)
    table = data.targets(region)
    years = targets.neutrality_years(region.region, table, data.facts(region), profile.city,
                                     data.policy_areas(profile))
    return {"region": region, "targets": table, "flags": data.flags(region), "years": years,
            "series": targets.target_series(region, data.eurostat_values())}


def test_flags_touching_targets_helsinki_and_wien():
    fi = _region_frames("Helsinki-Uusimaa", "Helsinki")
    touching = targets.flags_touching_targets(fi["flags"])
    assert len(touching) == 13 and touching["flag_id"].iloc[0] == "climate-neutral-vs-city"
    assert targets.touching_text(touching, fi["flags"], "Helsinki-Uusimaa") == (
        "13 of 31 data-quality flags of Helsinki-Uusimaa touch the targets and their series:")
    at = _region_frames("Wien", "Vienna")
    touching = targets.flags_touching_targets(at["flags"])
    assert touching["flag_id"].tolist() == ["material-efficiency-base", "rd-target-year",
                                            "ghg-target-wording", "no-regional-series"]
    assert targets.touching_text(touching.iloc[0:0], at["flags"], "Wien") == (
        "0 of 7 data-quality flags of Wien touch the targets and their series.")


def test_climate_flags_and_neutrality_years_text():
    fi = _region_frames("Helsinki-Uusimaa", "Helsinki")
    assert targets.climate_ids(fi["targets"]).tolist() == ["climate-neutral", "eu-neutral-2050"]
    flags = targets.climate_flags(fi["flags"], fi["targets"])
    assert len(flags) == 7 and flags["flag_id"].is_unique
    assert targets.climate_flags_text(flags) == "7 data-quality flags touch the climate target:"
    assert targets.neutrality_years_text(fi["years"]) == (
        "Neutrality years in data/: Helsinki-Uusimaa: 2030, 2035; European Union: 2050; "
        "Helsinki: 2030, 2035.")
    at = _region_frames("Wien", "Vienna")
    flags = targets.climate_flags(at["flags"], at["targets"])
    assert flags.empty
    assert targets.climate_flags_text(flags) == "0 data-quality flags touch the climate target."
    assert targets.neutrality_years_text(at["years"]) == (
        "Neutrality years in data/: Wien: 2040; European Union: 2050.")
    assert targets.neutrality_years_text(at["years"].iloc[0:0]) == (
        "Neutrality years in data/: none.")


def test_shown_peers_from_the_file_the_other_regions_or_the_parameter():
    names = data.nuts_names()
    name_of = {c: targets.display_name(c, names) for c in ["SE11", "DK01", "CH04", "FI1B"]}
    fi = _region_frames("Helsinki-Uusimaa", "Helsinki")
    table = targets.shown_peers(data.peers(fi["region"]), ["SE11", "DK01", "CH04"], "FI1B",
                                name_of)
    assert table.columns.tolist() == ["code", "region", "reason", "source", "locator"]
    assert table["region"].tolist() == ["Stockholm (SE11)", "Hovedstaden (DK01)",
                                        "Zürich (CH04)"]
    assert table["source"].tolist() == ["cor-ris-2019", "cor-ris-2019", "ris-2019-greenomed"]
    at = _region_frames("Wien", "Vienna")
    others = ["PT17", "EL30", "FI1B", "FR10", "NL32", "ES21", "SE11"]
    name_of.update({c: targets.display_name(c, names) for c in others})
    table = targets.shown_peers(data.peers(at["region"]), others, "AT13", name_of)
    assert set(table["reason"]) == {"another region with a file in data/regions/"}
    assert table["region"].iloc[2] == "Helsinki-Uusimaa (FI1B)"
    table = targets.shown_peers(data.peers(at["region"]), ["SE11"], "AT13", name_of)
    assert table[["region", "reason"]].values.tolist() == [
        ["Stockholm (SE11)", "given as a parameter"]]


def test_findings_helsinki_uusimaa_and_wien():
    values = data.eurostat_values()
    label = targets.eurostat.label("gerd_pc_gdp")
    for name, city, code, expected in [
            ("Helsinki-Uusimaa", "Helsinki", "FI1B", (8, 5, 2, 17, 13)),
            ("Wien", "Vienna", "AT13", (7, 2, 2, 14, 4))]:
        f = _region_frames(name, city)
        progress = targets.progress(f["series"], f["targets"])
        year = targets.latest_common_year(values, "gerd_pc_gdp", code)
        table = targets.ranking(values, "gerd_pc_gdp", year)
        found, headlines = targets.findings(name, f["targets"], f["series"], progress, table,
                                            code, label, year, f["flags"])
        assert (found["Region"], found["Comparison year"], found["Regions ranked"]) == (
            name, 2019, 192)
        assert (found["Targets (own and EU-wide)"], found["Targets with an observed series"],
                found["Targets met so far"], found["Rank among Europe's regions"],
                found["Data-quality flags"]) == expected
        assert headlines[-2] == (f"On {label} (2019) {name} ranks {expected[3]} of 192 European "
                                 "regions.")
        assert headlines[-1] == (f"{expected[0] - expected[1]} of {expected[0]} targets have no "
                                 "regional series in the data.")
