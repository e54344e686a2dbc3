"""The dataset: the tidy tables reproduce the source figures exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from city_innovation import data
from city_innovation.errors import NotFoundError, ParameterError
from city_innovation.present import fmt
from city_innovation.store import flags


def test_shipped_data_is_valid():
    assert data.validate() == []


def test_profile_header_figures(helsinki):
    assert helsinki.mayor.name == "Jan Vapaavuori"
    assert (helsinki.population.value, helsinki.population.year) == (653867, 2019)
    assert [p.value for p in helsinki.other_population_figures] == [642045, 650000]
    assert helsinki.innovation_officers.names == ["Santtu von Bruun", "Mikko Rusama"]


def test_roles_stated_and_listed_differ(helsinki):
    roles = data.roles(helsinki)
    assert len(roles) == 7
    assert set(roles["stated_count"]) == {9}
    assert roles["role"].iloc[0] == "Project manager"
    assert "roles-count" in set(data.flags(helsinki)["flag_id"])


def test_teams_staff(helsinki):
    teams = data.teams(helsinki).set_index("team")["staff"].to_dict()
    assert teams == {"Economic Development team": 25, "Digital Innovation team": 20}


def test_funded_activity_counts_as_printed(helsinki):
    fa = data.funded_activities(helsinki)
    aligned = fa[fa["aligned"]].set_index("activity")["cities"]
    assert aligned["Launching or sustaining a project"] == 79
    assert aligned["Idea generation & brainstorming"] == 51
    assert aligned["Investing in digital systems"] == 36
    assert aligned["Investing in physical infrastructure"] == 30
    assert pd.isna(aligned["Paying for services"])
    misaligned = fa[~fa["aligned"]]
    assert misaligned[["activity", "cities"]].values.tolist() == [
        ["Investing in physical infrastructure", 47]]
    assert set(fa.loc[fa["city_funds"], "activity"]) == {
        "Investing in digital systems", "Investing in physical infrastructure"}


def test_shares_quoted_in_profile(helsinki):
    s = data.strategy(helsinki).set_index("question")
    assert s.loc["explicit innovation strategy", "survey_value"] == 50
    assert s.loc["approach to innovation capacity", "survey_wording"] == (
        "more than half of cities surveyed")
    assert helsinki.dedicated_funding.survey_share.value == 81
    uses = data.funding_uses(helsinki).set_index("use")
    assert uses.loc["Training staff and building capacity", "survey_value"] == 61
    assert uses.loc["Training staff and building capacity", "survey_round"] == "2020"


def test_activities_five_of_seven(helsinki):
    acts = data.activities(helsinki)
    assert acts["rank"].tolist() == list(range(1, 8))
    assert acts["city_activity"].notna().sum() == 5
    missing = acts.loc[acts["city_activity"].isna(), "option"].tolist()
    assert missing == ["Engaging residents in new ways", "Human-centered design"]


def test_policy_area_goal(helsinki):
    pa = data.policy_areas(helsinki)
    row = pa[pa["policy_area"] == "Environment and climate change"].iloc[0]
    assert row["goal"] == "carbon neutral city" and row["target_year"] == 2035


def test_data_availability_status_unknown(helsinki):
    da = data.data_availability(helsinki)
    assert len(da) == 12 and set(da["status"]) == {"unknown"}


def test_themes_per_period(region):
    per = data.periods(region).set_index("period")
    assert per["n_themes"].to_dict() == {"2014-2020": 5, "2018-2020": 4, "2021-2027": 3}
    assert per["approved_year"].to_dict() == {"2014-2020": 2014, "2018-2020": 2017,
                                              "2021-2027": 2020}
    assert len(data.themes(region)) == 12


def test_documented_merge(region):
    lin = data.lineage(region)
    merged = lin[lin["relation"] == "merged-into"]
    assert sorted(merged["from_theme"]) == ["Smart Citizen", "Welfare City"]
    assert set(merged["to_theme"]) == {"Citizen city"}
    assert set(merged["basis"]) == {"stated"}


def test_instruments_per_spearhead(region):
    ins = data.instruments(region)
    per_theme = ins.groupby("theme")["instrument_id"].apply(sorted).to_dict()
    assert per_theme["Urban cleantech"] == ["central-baltic-interreg", "smart-clean-foundation",
                                            "structural-funds"]
    assert per_theme["Digitalising industry"] == ["aiko", "erdf"]
    assert per_theme["Citizen city"] == ["six-cities"]
    assert ins.set_index("instrument_id").loc["eip-aha", "kind"] == "network"


def test_targets_2030(region):
    t = data.targets(region).set_index("target_id")
    assert t.loc["rd-expenditure", "target_value"] == 5
    assert t.loc["employment-rate", "target_value"] == 80
    assert set(t["target_year"]) == {2030}
    assert t.loc["rd-expenditure", "eurostat_indicator"] == "gerd_pc_gdp"
    obs = data.observations(region)
    assert sorted(obs["target_id"].unique()) == ["climate-neutral", "employment-rate"]
    assert obs.loc[obs["area"].isna(), "age_band"].tolist() == ["15-64", "15-64"]


def test_regional_facts_keep_conflicts(region):
    f = data.facts(region).set_index("fact_id")
    assert f.loc["gdp-share-2023", "value"] == 39
    assert f.loc["gdp-share-2019", "wording"] == "more than one-third"
    assert sorted(f.loc[["population-2014", "population-2019", "population-2023"],
                        "value"]) == [1.6, 1.6, 1.7]
    assert "regional-population" in set(data.flags(region)["flag_id"])


def test_benchmarks_loaded_and_cited():
    b = data.benchmarks()
    sources = data.load_sources()
    assert b["source"].isin(list(sources)).all()
    assert b["locator"].notna().all()
    dedicated = b[(b["component"] == "funding") & (b["value"] == 81)]
    assert not dedicated.empty and set(dedicated["survey_round"]) == {"2018+2020"}
    words = b[b["value"].isna()]
    assert words["wording"].notna().all()


def test_every_cited_source_exists():
    sources = data.load_sources()
    for model in (data.load_profile("Helsinki"), data.load_region("Helsinki-Uusimaa")):
        for field, sid in data.cited_ids(model):
            assert sid in sources, field


def test_unknown_city_lists_available():
    with pytest.raises(NotFoundError, match=r"available: Alexandria; .*Denver, CO; .*Vienna\)"):
        data.load_profile("Atlantis")


def test_a_city_is_found_by_its_name_before_the_comma():
    assert data.load_profile("Denver").city == "Denver, CO"
    assert data.profile_path("denver, co").name == "denver-co.yaml"


def test_a_shared_short_name_is_not_guessed(tmp_path):
    (tmp_path / "profiles").mkdir()
    for stem, city in (("portland-or", "Portland, OR"), ("portland-me", "Portland, ME")):
        (tmp_path / "profiles" / f"{stem}.yaml").write_text(f"city: {city}\n")
    assert data.profile_path("Portland, ME", tmp_path).name == "portland-me.yaml"
    with pytest.raises(NotFoundError, match=r"'Portland' not found .*Portland, ME; Portland, OR"):
        data.profile_path("Portland", tmp_path)


def test_fixture_folder(fixture_data):
    assert data.validate(fixture_data) == []
    assert data.available_cities(fixture_data) == ["Northby", "Southfield", "Testville"]
    p = data.load_profile("testville", fixture_data)
    assert data.roles(p)["stated_count"].iloc[0] == 3


@pytest.mark.parametrize(("choice", "kept"), [
    ("2018", ["2018"]),
    ("2020", ["2020", "2018+2020"]),
    ("both", ["2018", "2020", "2018+2020"]),
])
def test_benchmarks_for_round(choice, kept):
    frame = pd.DataFrame({"survey_round": ["2018", "2020", "2018+2020"], "x": [1, 2, 3]})
    assert data.benchmarks_for_round(frame, choice)["survey_round"].tolist() == kept


def test_rows_for_unknown_round_refused():
    frame = pd.DataFrame({"survey_round": ["2018"]})
    with pytest.raises(ParameterError,
                       match=r"survey_round: '2019' is not a survey round \(allowed: 2018, 2020"):
        data.benchmarks_for_round(frame, "2019")


def test_smart_specialisation_from_the_region(region, test_region):
    assert data.smart_specialisation(region) == (
        "Smart specialisation: innovation policy in which each country or region picks its own "
        "strengths and concentrates efforts and investment on them [hsr-s3-update-2018-2020, "
        "'first paragraphs'].")
    assert data.smart_specialisation(test_region) == (
        "Test Region's file gives no definition of smart specialisation (fact s3-concept).")


# --- flags (store/flags.py) ---------------------------------------------------------------------


@pytest.mark.parametrize(("field", "paths", "kwargs", "expected"), [
    ("roles", "roles", {}, True),
    ("roles.stated_count", "roles", {}, True),
    ("roles_x", "roles", {}, False),
    ("roles.stated_count", "roles", {"below": False}, False),
    ("observations", ["targets.t1", "observations"], {"below": False}, True),
    ("periods.2014-2020", "periods.2014-2020", {"depth": 2}, True),
    ("periods.2014-2020.theme", "periods.2014-2020", {"depth": 2}, False),
    ("periods.2014-2020.theme", "periods.2014-2020", {"depth": 3}, True),
])
def test_a_flag_concerns_its_field_and_the_fields_inside(field, paths, kwargs, expected):
    assert flags.concerns(field, paths, **kwargs) is expected


def test_flags_on_a_field_table_and_lines(helsinki):
    table = data.flags(helsinki)
    on_roles = flags.on_field(table, "roles")
    assert set(on_roles["field"]) <= {"roles", "roles.stated_count"} and len(on_roles) > 1
    assert flags.ids_on(helsinki, "roles") == on_roles["flag_id"].tolist()
    assert flags.on_field(table, "roles", skip=set(table["problem"])).empty
    assert list(data.flag_table(on_roles).columns) == ["field", "problem", "detail", "decision",
                                                       "source"]
    first = on_roles.iloc[0]
    assert flags.as_lines(on_roles, none="-").startswith(
        f"Flag {first['flag_id']} ({first['problem']}): {first['detail']}\n  Decision: ")
    assert flags.as_lines(on_roles.iloc[0:0], none="none here") == "none here"


def test_flags_of_several_files_are_stacked(helsinki, region):
    both = flags.stacked([(helsinki.city, data.flags(helsinki)), (region.region,
                                                                 data.flags(region))], "owner")
    assert both.columns[0] == "owner" and "locator" not in both.columns
    assert len(both) == len(helsinki.flags) + len(region.flags)
    assert list(flags.stacked([], "city").columns) == ["city", *flags.STACKED]


def test_numbers_as_readers_see_them():
    assert (fmt.pct(42.0), fmt.pct(42.86)) == ("42%", "42.9%")
    assert fmt.quantity(12.50, "%") == "12.5%" and fmt.quantity(3.0, "t") == "3 t"
    assert fmt.per_year(-0.25, "percent") == "-0.25 percentage points a year"
    assert (fmt.counted(1, "theme", "themes"), fmt.counted(2, "theme", "themes")) == (
        "1 theme", "2 themes")
