"""Profile analyses, survey-round selection and the profile figures, on real and tiny data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from city_innovation import data, plots
from city_innovation.analysis import profile
from city_innovation.errors import ParameterError
from city_innovation.params import ProfileParams

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


def _round(bench, survey_round):
    return data.benchmarks_for_round(bench, survey_round)


# --- survey rounds ---------------------------------------------------------------------------


def test_rounds_select_rows_of_the_shipped_benchmarks(bench):
    assert set(_round(bench, 2018)["survey_round"]) == {"2018"}
    assert len(_round(bench, "2018")) == 39
    assert set(_round(bench, 2020)["survey_round"]) == {"2018+2020"}
    assert len(_round(bench, "2020")) == 30
    assert len(_round(bench, "both")) == len(bench) == 69


def test_round_2020_keeps_2020_and_pooled_rows_only():
    tiny = pd.DataFrame({"id": ["a", "b", "c"], "survey_round": ["2018", "2020", "2018+2020"]})
    assert _round(tiny, 2020)["id"].tolist() == ["b", "c"]
    assert _round(tiny, "2018")["id"].tolist() == ["a"]
    assert _round(tiny, "both")["id"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("bad", [2019, "2018+2020", True, None])
def test_unknown_round_is_refused(bench, bad):
    with pytest.raises(ParameterError) as exc:
        _round(bench, bad)
    assert str(exc.value) == (f"parameter survey_round: {bad!r} is not a survey round "
                              "(allowed: 2018, 2020 or 'both')")


def test_respondents_by_round(bench):
    out = profile.respondents(bench)
    assert out[["survey_round", "cities"]].values.tolist() == [["2018", 89], ["2018+2020", 147]]
    assert out["source"].iloc[0] == "oecd-innovation-snapshots; pnd-2019"


# --- mapping tables --------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "family"), [
    ("Service designer", "design"), ("designer", "design"),
    ("Project manager", "project management"), ("project managers", "project management"),
    ("Communication officer", "communications"), ("Data scientist", "data science"),
    ("Community engagement staff", "community engagement"),
    ("Designer (2018 wording)", "design"),
    ("Start-up expert", None), ("Economic development advisor", None),
])
def test_role_family(label, family):
    assert profile.role_family(label) == family


@pytest.mark.parametrize(("area", "item"), [
    ("Land use", "land use/zoning"), ("Policing and law enforcement",
                                      "policing and law enforcement"),
    ("Social welfare/social services", "social welfare and inclusion"),
    ("Social inclusion and equity", "social welfare and inclusion"),
    ("Transport and mobility", "transport"), ("Digital governance", None),
])
def test_area_item(area, item):
    assert profile.area_item(area) == item


@pytest.mark.parametrize(("answer", "item", "expected"), [
    ("yes", "has a formal innovation strategy", True),
    ("yes", "does not have an explicit innovation strategy", False),
    ("no", "does not have an explicit innovation strategy", True),
    ("no", "has an explicit innovation strategy", False),
    ("holistic/macro level only", "holistic/macro level only (older profile wording)", True),
    ("both holistic/macro level and specific policy areas", "prioritises specific policy areas",
     False),
])
def test_answer_matches(answer, item, expected):
    assert profile.answer_matches(answer, item) is expected


@pytest.mark.parametrize(("item", "expected"), [
    ("prioritises specific policy areas", True),
    ("specific policy areas/domains only", False),
    ("holistic/macro level only (older profile wording)", False),
    ("both holistic/macro level and specific policy areas", False),
    ("has a formal innovation strategy", False),
])
def test_answer_may_include(item, expected):
    answer = "both holistic/macro level and specific policy areas"
    assert profile.answer_may_include(answer, item) is expected
    assert profile.answer_may_include("yes", item) is False


def test_share_caveats_name_the_uncertain_bases(helsinki, bench):
    strategy = profile.share_caveats(
        profile.strategy_shares(helsinki, bench), "Helsinki")
    assert strategy == [
        "The 49% (2018) base n = 89 is stated by pnd-2019 only.",
        "The 75% (2018) for \u201cprioritises specific policy areas\u201d may include cities "
        "that, like Helsinki, answer \u201cboth holistic/macro level and specific policy "
        "areas\u201d (the source does not say)."]
    roles = profile.role_shares(helsinki, bench)
    assert set(roles.loc[roles["survey_round"] == "2018", "base_note"]) == {
        "base may be cities with innovation staff (not stated)"}
    assert profile.share_caveats(roles, "Helsinki") == [
        "Base uncertain for the 2018 shares from pnd-2019: base may be cities with innovation "
        "staff (not stated)."]
    assert profile.share_caveats(profile.availability_shares(helsinki, bench), "Helsinki") == []


def test_strategy_left_out_names_the_report_figure(helsinki, testville, bench):
    assert profile.strategy_left_out(helsinki, bench) == (
        "Not drawn, as the question is worded differently: 9% (2018, oecd-2019-ch2) of cities "
        "with \u201cformal innovation strategy to improve processes, service delivery or "
        "resource management\u201d, from the report text (narrower definition than Q1.1; "
        "conflicts with 49% and 44%).")
    assert profile.strategy_left_out(helsinki, _round(bench, 2020)).startswith("No survey-wide")
    assert profile.strategy_left_out(testville, data.benchmarks(FIXTURE_DATA)).startswith(
        "No survey-wide figure")


def test_share_text():
    assert profile.share_text(49.0, None) == "49%"
    assert profile.share_text(None, "more than half") == "\u201cmore than half\u201d (words only)"


# --- analyses on the shipped data -------------------------------------------------------------


def test_strategy_table_with_and_without_survey(helsinki):
    on = profile.strategy_table(helsinki)
    assert on["survey_share_on_profile"].tolist() == [
        "50%", "\u201cmore than half of cities surveyed\u201d (words only)"]
    assert set(on["base"]) == {"not stated"}
    off = profile.strategy_table(helsinki, with_survey=False)
    assert off.columns.tolist() == ["question", "city_answer", "source"]


def test_strategy_shares_both_rounds(helsinki, bench):
    s = profile.strategy_shares(helsinki, bench)
    first = s.iloc[0]
    assert (first["item"], first["value"], first["base_n"], first["source"]) == (
        "has a formal innovation strategy", 49.0, 89, "oecd-map-methodology-2019; pnd-2019")
    assert first["base_sources"] == "pnd-2019"  # the methodology page states no base
    assert s.loc[s["may_include_city"], ["item", "value"]].values.tolist() == [
        ["prioritises specific policy areas", 75.0]]
    matched = s[s["matches_city"]]
    assert matched["value"].tolist()[:4] == [49.0, 44.0, 50.0, 50.0]
    words = s[s["value"].isna()]
    assert words[["wording", "matches_city"]].values.tolist() == [
        ["over one-third of cities surveyed", False], ["more than half of cities surveyed", True]]
    assert "does not have an explicit innovation strategy" in set(s.loc[~s["matches_city"],
                                                                       "item"])


def test_roles_table_shows_the_unnamed_roles(helsinki):
    t = profile.roles_table(helsinki)
    assert len(t) == 9
    assert t["status"].value_counts().to_dict() == {"listed": 7, "stated, not listed": 2}
    assert t.loc[t["role"] == "Start-up expert", "role_family"].item() == "unmatched"
    assert profile.roles_sentence(helsinki) == (
        "Helsinki's profile states 9 innovation roles and lists 7: 2 stay unnamed.")


def test_role_shares_2018(helsinki, bench):
    r = profile.role_shares(helsinki, _round(bench, 2018))
    survey = r[r["status"] == "matched"].set_index("label")
    assert survey["value"].to_dict() == {"project management": 82, "community engagement": 60,
                                         "data scientist": 56, "designer": 56,
                                         "communications": 48}
    assert survey.loc["designer", "city_label"] == "Service designer"
    assert set(survey["base_n"]) == {89}
    assert r.loc[r["status"] == "city only", "label"].tolist() == [
        "Start-up expert", "Economic development advisor"]


def test_role_shares_2020_has_only_project_managers(helsinki, bench):
    r = profile.role_shares(helsinki, _round(bench, 2020))
    matched = r[r["status"] == "matched"]
    assert matched[["label", "value", "city_label"]].values.tolist() == [
        ["project managers", 92.0, "Project manager"]]
    assert (r["status"] == "city only").sum() == 6


def test_availability_shares_2018(helsinki, bench):
    a = profile.availability_shares(helsinki, _round(bench, 2018))
    survey = a[a["status"] != "city only"]
    assert dict(zip(survey["label"], survey["value"], strict=True)) == {
        "transport": 64, "policing and law enforcement": 57, "land use/zoning": 51,
        "housing": 47, "social welfare and inclusion": 32, "blight": 29, "tourism": 29,
        "culture": 20}
    matched = a[a["status"] == "matched"].set_index("label")
    assert matched.loc["social welfare and inclusion", "city_label"] == (
        "Social welfare/social services; Social inclusion and equity")
    assert set(matched["city_status"]) == {"unknown"}
    assert (a["status"] == "city only").sum() == 8


def test_availability_shares_2020_has_no_survey_rows(helsinki, bench):
    a = profile.availability_shares(helsinki, _round(bench, 2020))
    assert set(a["status"]) == {"city only"} and len(a) == 12


def test_policy_area_table(helsinki):
    h = profile.policy_area_table(helsinki)
    assert h.columns.tolist() == ["policy_area", "goal", "target_year", "means", "source"]
    assert h["target_year"].tolist() == ["2035", "none given"]


def test_activity_links_and_own_activities(helsinki):
    links = profile.activity_links(helsinki)
    assert links["own_position"].tolist() == [1, 2, pd.NA, 3, 4, pd.NA, 5]
    own = profile.own_activities(helsinki)
    assert own["numbered_option"].str.split(".").str[0].tolist() == ["1", "2", "4", "5", "7"]
    assert own["examples"].iloc[2] == "drones; smart sensors"
    assert profile.ranking_sentence(helsinki) == (
        "Uncertain (flag activity-ranking): the numbers may follow the questionnaire's order "
        "rather than rank Helsinki's priorities; they are kept as printed.")


def test_data_partners_and_availability(helsinki, testville):
    partners = profile.data_partners(helsinki)
    assert partners["partner"].tolist() == ["private sector", "regional institutions",
                                            "academia and think tanks", "other cities"]
    assert partners["examples"].iloc[0] == "none given"
    assert profile.data_purposes(helsinki) == (
        "Helsinki partners on data to: collect data; analyse data.")
    assert profile.data_purposes(testville) == (
        "Testville's profile does not say what its data partnerships are for.")
    assert profile.availability_sentence(helsinki) == (
        "Helsinki's profile lists 12 policy areas for data availability; status: 12 unknown.")
    assert profile.availability_sentence(testville) == (
        "Testville's profile lists 2 policy areas for data availability; status: "
        "1 insufficient, 1 sufficient.")


def test_flags_and_notes(helsinki, testville):
    assert [f.id for f in profile.flags_on(helsinki, "roles")] == ["roles-count",
                                                                   "roles-chart-lost"]
    note = profile.figure_note(helsinki, ["pnd-2019", None, "pnd-2019; oecd-map-methodology"],
                               "activities")
    assert note.startswith("Sources: oecd-map-helsinki, pnd-2019, oecd-map-methodology. "
                           "Flagged: activity-ranking (The numbered list")
    assert profile.ranking_sentence(testville) == (
        "No flag on the numbering in Testville's profile: the numbers are kept as printed.")
    table = profile.flag_table(helsinki)
    assert table.columns.tolist() == ["field", "problem", "detail", "decision", "source"]
    assert table.index.name == "flag_id" and len(table) == 15
    assert table.loc["activity-ranking", "field"] == "activities.ranking"
    assert profile.flag_lines(testville, "policy_areas") == (
        "No data-quality flag on policy_areas in Testville's profile.")
    assert "Decision: Every area gets status \"unknown\"" in profile.flag_lines(
        helsinki, "data_availability")
    assert profile.flag_count(helsinki).to_dict() == {"ambiguous": 2, "contradictory": 3,
                                                       "garbled": 3, "missing": 7}


def test_cited_sources_follow_the_rows_shown(helsinki, bench):
    only_profile = profile.cited_sources(helsinki)
    assert only_profile[0] == "oecd-map-helsinki" and "pnd-2019" not in only_profile
    r2018 = profile.cited_sources(helsinki, _round(bench, 2018))
    assert "pnd-2019" in r2018 and "bloomberg-cities-map-mirror" not in r2018
    assert "bloomberg-press-2019" not in r2018  # its respondents figure is words only
    table = profile.sources_table(["pnd-2019", "pnd-2019"])
    assert table["publisher"].tolist() == ["Philanthropy News Digest (Candid)"]
    assert table.index.tolist() == ["pnd-2019"]


# --- parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "stored"), [("vermillion", "#D55E00"),
                                               ("Bluish Green", "#009E73"),
                                               ("darkorange", "darkorange"),
                                               ("#123456", "#123456")])
def test_highlight_colour_names(given, stored):
    assert ProfileParams.parse(highlight_colour=given).highlight_colour == stored


def test_bad_colour_message():
    with pytest.raises(ParameterError) as exc:
        ProfileParams.parse(highlight_colour="notacolour")
    assert str(exc.value).startswith("parameter highlight_colour: 'notacolour' is not a colour "
                                     "(allowed: an Okabe-Ito name ('vermillion'")


# --- figures on tiny frames -------------------------------------------------------------------

HL = "#0072B2"


def _colours(ax, kind):
    if kind == "bars":
        return [to_hex(p.get_facecolor()) for p in ax.patches]
    return [to_hex(line.get_color()) for line in ax.get_lines() if line.get_marker() == "o"]


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text()
                                                                   for t in fig.texts]


def _ticks(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def test_strategy_chart_tiny():
    shares = pd.DataFrame({
        "question": ["q one", "q one", "q two"], "city_answer": ["yes", "yes", "both"],
        "item": ["has it", "does not have it", "both"], "survey_round": ["2018", "2018",
                                                                         "2018+2020"],
        "value": [49.0, 51.0, None], "wording": [None, None, "more than half"],
        "base_n": pd.array([89, pd.NA, pd.NA], dtype="Int64"), "base_sources": ["a", "", ""],
        "base_note": "", "source": ["a; d", "b", "c"], "matches_city": [True, False, True],
        "may_include_city": [False, True, False]})
    fig = plots.strategy_chart(shares, city="Testville", highlight=HL, note="Sources: a.")
    top, bottom = fig.axes
    assert _colours(top, "bars") == [HL.lower(), "#ffffff"]
    assert to_hex(top.patches[1].get_edgecolor()) == HL.lower() and top.patches[1].get_hatch()
    assert _ticks(top) == ["has it\n2018 \u00b7 n = 89 (1 of 2 sources)",
                           "does not have it\n2018 \u00b7 base not stated"]
    assert [t.get_text() for t in bottom.get_legend().get_texts()] == [
        "describes Testville's answer", "may include Testville's answer (see note)",
        "other answers"]
    assert not bottom.patches  # a share in words is not drawn as a bar
    texts = _texts(fig)
    assert "\u201cmore than half\u201d (given in words only)" in texts
    assert {"49%", "51%", "Sources: a."} <= set(texts)
    assert top.get_title("left") == "Q one: Testville answers \u201cyes\u201d"
    assert bottom.get_xlabel() == "Share of cities surveyed (%)"
    assert fig._suptitle.get_text() == "Strategy and approach: Testville beside the survey"


def test_strategy_chart_without_figures():
    empty = profile.strategy_shares(data.load_profile("Helsinki"),
                                    data.benchmarks().iloc[0:0])
    fig = plots.strategy_chart(empty, city="Helsinki")
    assert "No survey-wide strategy figures for the rounds shown" in _texts(fig)


def _shares(status, city_status=None):
    return pd.DataFrame({
        "label": ["project management", "designer", "Start-up expert"],
        "survey_round": ["2018", "2018", None], "value": [82.0, 56.0, None],
        "base_n": pd.array([89, pd.NA, pd.NA], dtype="Int64"), "base_sources": ["s", "", ""],
        "base_note": ["base may be fewer", "", ""], "source": ["s", "s", None],
        "city_label": ["Project manager", None, "Start-up expert"],
        "city_status": [city_status, None, city_status], "status": status})


def test_role_shares_chart_tiny():
    fig = plots.role_shares_chart(_shares(["matched", "survey only", "city only"]),
                                  city="Testville", highlight=HL)
    ax = fig.axes[0]
    assert _colours(ax, "dots") == [HL.lower(), to_hex(plots.CONTEXT)]
    assert _ticks(ax) == ["project management\n2018 \u00b7 n = 89, base uncertain\n"
                          "Testville: Project manager",
                          "designer\n2018 \u00b7 base not stated",
                          "Start-up expert\n(Testville only)"]
    assert "listed by Testville; no survey figure in the rounds shown" in _texts(fig)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Testville lists a matching role", "Testville lists no matching role"]
    assert ax.get_xlabel() == "Cities surveyed with the role (%)"


def test_role_shares_chart_with_city_roles_only():
    only = _shares(["city only"] * 3).assign(value=None)
    fig = plots.role_shares_chart(only, city="Testville")
    ax = fig.axes[0]
    assert ax.get_title("left").endswith("(no survey-wide figures in the rounds shown)")
    assert _colours(ax, "dots") == [] and ax.get_legend() is None


def test_availability_chart_tiny():
    fig = plots.availability_chart(_shares(["matched", "survey only", "city only"], "unknown"),
                                   city="Testville", highlight=HL, note="Sources: s.")
    ax = fig.axes[0]
    assert _ticks(ax)[0].endswith("Testville: Project manager, data status\nunknown")
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert [to_hex(d.get_markerfacecolor()) for d in dots] == ["#ffffff",
                                                              to_hex(plots.CONTEXT)]
    assert to_hex(dots[0].get_markeredgecolor()) == HL.lower()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Testville lists the area (data status unknown)", "Testville lists no matching area"]
    sufficient = plots.availability_chart(
        _shares(["matched", "survey only", "city only"], "sufficient"), city="Testville",
        highlight=HL)
    first = next(line for line in sufficient.axes[0].get_lines() if line.get_marker() == "o")
    assert to_hex(first.get_markerfacecolor()) == HL.lower()
    assert ("listed by Testville, data status unknown; no survey figure in the rounds shown"
            in _texts(fig))
    assert ax.get_xlabel() == "Cities surveyed with data in the area (%)"
    assert "Sources: s." in _texts(fig)


def test_activities_chart_tiny():
    links = pd.DataFrame({"rank": [1, 2, 3], "option": ["Taking risks", "Design", "Data"],
                          "city_activity": ["Risk taking", None, "Open data"],
                          "own_position": pd.array([2, pd.NA, 1], dtype="Int64")})
    fig = plots.activities_chart(links, city="Testville", highlight=HL, note="Flag x.")
    ax = fig.axes[0]
    joins = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert len(joins) == 2 and {to_hex(j.get_color()) for j in joins} == {HL.lower()}
    # own activities keep their own order on the left: "Open data" (1st) above "Risk taking"
    left = {t.get_text(): t.get_position()[1] for t in ax.texts if t.get_ha() == "right"}
    assert left["Open data"] < left["Risk taking"]
    colours = {t.get_text(): to_hex(t.get_color()) for t in ax.texts}
    assert colours["2. Design"] != colours["1. Taking risks"]
    assert "The 3 numbered options\n(as printed on the profile)" in _texts(fig)
    assert "Flag x." in _texts(fig)


def test_activities_chart_without_own_activities():
    links = pd.DataFrame({"rank": [1], "option": ["Design"], "city_activity": [None],
                          "own_position": pd.array([pd.NA], dtype="Int64")})
    fig = plots.activities_chart(links, city="Testville")
    assert "Testville lists no activities of its own" in _texts(fig)
