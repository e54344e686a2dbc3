"""Funding-mix helpers reproduce the figures of data/ exactly; the figure functions draw them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from city_innovation import data, plots
from city_innovation.analysis import funding, instruments
from city_innovation.errors import DataError, ParameterError

SHARE_NOTE = "the true shares are higher"


FIXTURE_ROOT = Path(__file__).parent / "fixtures" / "data"


# --- survey rounds and the base -----------------------------------------------------------------


@pytest.mark.parametrize(("choice", "n", "label", "sources", "pooled"), [
    ("2018", 89, "2018", ("oecd-innovation-snapshots", "pnd-2019"), False),
    ("2020", 147, "2018+2020", ("oecd-map-methodology-2019", "oecd-2021-ch2"), True),
    ("both", 147, "2018+2020", ("oecd-map-methodology-2019", "oecd-2021-ch2"), True),
])
def test_respondent_base(bench, choice, n, label, sources, pooled):
    base = funding.respondent_base(bench, choice)
    assert (base.n, base.survey_round, base.sources, base.pooled) == (n, label, sources, pooled)


def test_base_description(bench):
    assert funding.respondent_base(bench, "both").describe() == (
        "147 cities responding to the 2018 or 2020 survey (pooled rounds 2018+2020; "
        "oecd-map-methodology-2019, oecd-2021-ch2)")


def test_missing_base_is_named():
    with pytest.raises(DataError, match=r"no number of responding cities for survey_round "
                                        r"'both' .*round 2018\+2020; rounds with one: none"):
        funding.respondent_base(data.benchmarks(FIXTURE_ROOT), "both")


def test_disagreeing_bases_refused(bench):
    extra = bench[bench["id"] == "2018-survey-01"].assign(id="2018-survey-99", value=90.0)
    with pytest.raises(DataError, match="2018-survey-01=89, 2018-survey-02=89, 2018-survey-99=90"):
        funding.respondent_base(pd.concat([bench, extra]), "2018")


def test_share_of_base_exact():
    counts = pd.Series([79, 51, 36, 30, None], dtype="Int64")
    shares = funding.share_of_base(counts, 147)
    assert shares.iloc[:4].tolist() == [79 / 147 * 100, 51 / 147 * 100, 36 / 147 * 100,
                                        30 / 147 * 100]
    assert pd.isna(shares.iloc[4])
    with pytest.raises(ValueError, match="base_n: must be a positive number"):
        funding.share_of_base(counts, 0)


# --- 1. dedicated funding -----------------------------------------------------------------------


def test_dedicated_funding_both_rounds(helsinki, bench):
    rows = funding.dedicated_funding(helsinki, bench, "both")
    assert rows["survey_round"].tolist() == ["2018+2020", "2018", "2018+2020"]
    assert rows["percent"].tolist() == [81.0, 70 / 89 * 100, 81.0]
    assert rows["cities"].tolist() == [pd.NA, 70, pd.NA]
    assert rows["base_n"].tolist() == [pd.NA, 89, pd.NA]
    assert rows["sources"].tolist() == ["oecd-map-helsinki", "oecd-2019-report-copy",
                                        "oecd-map-stockholm, oecd-map-buenos-aires"]


def test_dedicated_funding_2018_only(helsinki, bench):
    rows = funding.dedicated_funding(helsinki, bench, "2018")
    assert rows["survey_round"].tolist() == ["2018+2020", "2018"]
    assert funding.describe_dedicated(helsinki, rows) == (
        "Helsinki's answer on dedicated innovation funding: yes. Survey-wide, 78.7% to 81% of "
        "cities report dedicated or specific funding (2 figures shown).")


def test_dedicated_note(helsinki, bench):
    note = funding.dedicated_note(funding.dedicated_funding(helsinki, bench, "both"))
    assert "70 of 89 cities shown as 78.7%." in note
    assert note.startswith("Sources: oecd-map-helsinki, ")
    assert "(round 2018+2020) from oecd-map-stockholm, oecd-map-buenos-aires" in note


def test_city_answer(helsinki, testville):
    assert (funding.city_answer(helsinki), funding.city_answer(testville)) == ("yes", "no")


# --- 2. sources ---------------------------------------------------------------------------------


def test_sources_grouped_by_level(helsinki, testville):
    table = funding.sources_by_level(helsinki)
    assert [str(lv) for lv, _ in table.index] == list(funding.CITY_LEVELS)
    assert table.loc[("municipal", "Municipal budget"), "definition"] == "the city's own funds"
    assert list(table.columns) == ["definition", "survey_illustration"]
    assert table.loc[("national", "Central/federal/national government budget"),
                     "survey_illustration"] == (
        "Stockholm's Hub for Innovation, funded by Vinnova from 2017 for three years (the "
        "survey's illustration, not Helsinki's)")
    assert [src for _, src in funding.sources_by_level(testville).index] == [
        "Municipal budget", "Non-financial resources"]


def test_survey_origin_figures(bench):
    origin = funding.survey_origin_figures(bench, "2018")
    assert origin[["value", "base_n", "percent"]].values.tolist() == [[30.0, 70, 42.9]]
    assert funding.survey_origin_figures(bench, "2020").empty
    assert funding.describe_origin(origin).startswith(
        "Round 2018: cities with funding from external (non-public) sources: 30 of 70 cities "
        "(42.9%) [oecd-2019-report-copy].")


# --- 3. activities ------------------------------------------------------------------------------


def test_activity_counts_sorted_without_misaligned(helsinki):
    values = funding.activity_values(helsinki, "count")
    assert values[["activity", "cities", "city_funds"]].values.tolist() == [
        ["Launching or sustaining a project", 79, False],
        ["Idea generation & brainstorming", 51, False],
        ["Investing in digital systems", 36, True],
        ["Investing in physical infrastructure", 30, True],
    ]
    assert values["value"].tolist() == [79.0, 51.0, 36.0, 30.0]


def test_activity_shares_of_pooled_base(helsinki, bench):
    base = funding.respondent_base(bench, "both")
    values = funding.activity_values(helsinki, "share", base)
    assert values["value"].tolist() == [79 / 147 * 100, 51 / 147 * 100, 36 / 147 * 100,
                                        30 / 147 * 100]
    assert funding.describe_activities(values, "share") == (
        "Most often funded across the survey: Launching or sustaining a project (53.7%, 79 "
        "cities). The city's own funded activities rank 3 and 4 of 4: Investing in digital "
        "systems (24.5%, 36 cities); Investing in physical infrastructure (20.4%, 30 cities).")


def test_activity_ranking_names_its_pairing_flag_and_round(helsinki):
    values = funding.activity_values(helsinki, "count")
    assert funding.describe_activities(values, "count", helsinki) == (
        "Most often funded across the survey: Launching or sustaining a project (79 cities; an "
        "option of round 2018 only). Under the pairing of labels and counts chosen in flag "
        "funded-activities-misaligned, the city's own funded activities rank 3 and 4 of 4: "
        "Investing in digital systems (36 cities); Investing in physical infrastructure (30 "
        "cities).")


def test_activity_measure_refused(helsinki):
    with pytest.raises(ParameterError, match=r"measure: 'ratio' \(allowed: count, share\)"):
        funding.activity_values(helsinki, "ratio")
    with pytest.raises(ParameterError, match="'share' needs a survey base"):
        funding.activity_values(helsinki, "share")


def test_activities_note_shows_what_is_not_drawn(helsinki, bench):
    base = funding.respondent_base(bench, "2018")
    note = funding.activities_note(helsinki, "share", base)
    assert "'Investing in physical infrastructure' (47 cities: label and count not aligned" in note
    assert "'Paying for services' (no count printed)" in note
    assert "Share = cities / 89 cities responding to the 2018 survey (round 2018;" in note
    assert SHARE_NOTE in note
    assert "'Launching or sustaining a project' was an option of round 2018 only." in note
    assert note.startswith("Sources: oecd-map-helsinki. Counts of cities as printed under ")
    assert note.endswith("Flagged: funded-activities-misaligned; funded-activities-unverified.")
    assert SHARE_NOTE not in funding.activities_note(helsinki, "count")


# --- 4. uses ------------------------------------------------------------------------------------


def test_training_figure_only_with_2020(helsinki):
    only_2018 = funding.funding_uses(helsinki, "2018")
    assert len(only_2018) == 5 and only_2018["survey_percent"].isna().all()
    uses = funding.funding_uses(helsinki, "2020")
    quoted = uses[uses["survey_percent"].notna()]
    assert quoted[["use", "survey_percent", "survey_round"]].values.tolist() == [
        ["Training staff and building capacity", 61.0, "2020"]]
    assert funding.describe_uses(helsinki, "2018").splitlines()[1] == (
        "No survey-wide figure on uses for survey_round '2018'.")


def test_round_only_options(helsinki):
    assert funding.round_only_options(helsinki).values.tolist() == [
        ["Training staff and building capacity", "2020"],
        ["Launching or sustaining a project", "2018"]]


# --- 5. the region's matrix ---------------------------------------------------------------------


def test_instrument_matrix(region):
    matrix = instruments.instrument_matrix(region)
    table = instruments.matrix_table(matrix)
    assert list(table.columns) == ["Urban cleantech", "Health & wellness",
                                   "Digitalising industry", "Citizen city"]
    assert [(str(lv), name) for lv, name in table.index] == [
        ("EU", "Central Baltic Interreg"), ("EU", "EU structural funds"),
        ("EU", "EIP on Active and Healthy Ageing"), ("EU", "EU funding"),
        ("EU", "European Regional Development Fund (ERDF)"), ("national", "national funding"),
        ("national", "AIKO (national regional innovations and pilots)"),
        ("national", "Six Cities funding (6Aika)"), ("foundation", "Smart&Clean Foundation")]
    assert table.values.tolist() == [[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0],
                                     [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1],
                                     [1, 0, 0, 0]]
    assert instruments.recurring_instruments(matrix).empty
    assert instruments.levels_per_theme(matrix).values.tolist() == [
        ["EU", 3], ["national", 3], ["regional", 0], ["foundation", 1]]


def test_matrix_markers_note_and_title(region):
    matrix = instruments.instrument_matrix(region)
    assert instruments.instrument_markers(matrix) == {
        ("Health & wellness", "EIP on Active and Healthy Ageing"): "a",
        ("Citizen city", "Six Cities funding (6Aika)"): "b",
        ("Urban cleantech", "Smart&Clean Foundation"): "c"}
    note = instruments.matrix_note(region, matrix, "spearhead")
    assert "(b) Citizen city x Six Cities funding (6Aika): 'among other sources'" in note
    assert ("The 4 EU instruments overlap (EU funding names no particular fund and may cover "
            "the others; European Regional Development Fund (ERDF) is one of the EU structural "
            "funds): they count names in the text, not distinct funds.") in note
    assert note.startswith("Sources: hsr-s3-update-2018-2020. A filled cell: the spearhead ")
    assert note.endswith("Flagged: eip-aha-not-funding; six-cities-partial; "
                         "smart-clean-foundation-role.")
    assert instruments.theme_word(region, matrix) == "spearhead"
    assert instruments.matrix_title(region, matrix) == (
        "Helsinki-Uusimaa: funding instruments per spearhead, 2018-2020")
    assert instruments.describe_matrix(matrix, "spearhead", region) == (
        "Instruments are named for period 2018-2020 only (2014-2020, 2021-2027: none named). "
        "4 spearheads name 8 funding instruments (4 EU, 3 national, 1 foundation) + 1 network "
        "(EIP on Active and Healthy Ageing). No instrument is named by more than one "
        "spearhead. Spearheads naming at least one funding instrument of each level: EU 3 of "
        "4, national 3 of 4, foundation 1 of 4.")
    assert instruments.instrument_counts(matrix) == {"funding": 8, "network": 1}


def test_recurring_instrument_in_fixture(test_region):
    matrix = instruments.instrument_matrix(test_region)
    assert instruments.recurring_instruments(matrix).values.tolist() == [
        ["ERDF", "EU", 2, "Circular economy, Wellbeing"]]
    assert instruments.overlap_notes(test_region, matrix) == []  # ERDF alone overlaps nothing
    assert instruments.theme_word(test_region, matrix) == "theme"


# --- 6. levels side by side ---------------------------------------------------------------------


def test_level_mapping_covers_every_level():
    assert set(funding.CITY_LEVEL_TO_COMMON) == set(funding.CITY_LEVELS)
    assert set(funding.REGION_LEVEL_TO_COMMON) == set(funding.REGION_LEVELS)
    assert set(funding.CITY_LEVEL_TO_COMMON.values()) | set(
        funding.REGION_LEVEL_TO_COMMON.values()) == set(funding.COMMON_LEVELS)
    mapping = funding.level_mapping()
    assert mapping.loc["International / EU"].tolist() == ["international", "EU"]
    assert mapping.loc["Local public (city or region)"].tolist() == ["municipal", "regional"]
    assert mapping.loc["Foundation"].tolist() == ["", "foundation"]


def test_levels_side_by_side(helsinki, region):
    levels = funding.levels_side_by_side(helsinki, region)
    counts = levels.pivot(index="common_level", columns="scale", values="n")
    assert counts["city"].tolist() == [1, 1, 1, 0, 1, 1]
    assert counts["region"].tolist() == [4, 3, 0, 1, 0, 0]  # the network is not counted
    status = levels.pivot(index="common_level", columns="scale", values="status")
    assert status["city"].tolist() == [funding.UNCONFIRMED] * 3 + [""] + [
        funding.UNCONFIRMED] * 2  # flag funding-sources-repeated
    assert status["region"].tolist() == [funding.NAMED, funding.NAMED, "",
                                         funding.NOT_A_FUNDER, "", ""]
    assert funding.describe_levels(levels) == (
        "Named as funding at both scales: none. International / EU, National: listed by the "
        "city, use not confirmed; named by the region. Local public (city or region), "
        "Non-financial (in kind), Innovative financing: listed by the city only, use not "
        "confirmed. Foundation: named by the region only as an implementer, not a funder.")
    note = funding.levels_note(helsinki, region)
    assert "Networks not counted: EIP on Active and Healthy Ageing." in note
    assert note.startswith("Sources: oecd-map-helsinki, hsr-s3-update-2018-2020. ")
    assert ("Flagged: funding-sources-repeated (listed, use not confirmed: Four of the five "
            "funding-source labels are printed twice") in note
    assert ("smart-clean-foundation-role (implementer, not a funder: Urban cleantech is "
            '"especially carried out by" the Smart&Clean Foundation') in note
    assert note.endswith("; eip-aha-not-funding; six-cities-partial.")


def test_levels_without_weakening_flags(testville, test_region):
    levels = funding.levels_side_by_side(testville, test_region)
    present = levels[levels["n"] > 0]
    assert set(present["status"]) == {funding.NAMED}
    assert funding.describe_levels(levels) == (
        "Named as funding at both scales: Local public (city or region). International / EU: "
        "named by the region only. Local public (city or region): named by the city; named by "
        "the region. Non-financial (in kind): named by the city only.")


# --- 7. flags -----------------------------------------------------------------------------------


def test_funding_flags(helsinki, region):
    flags = funding.funding_flags(helsinki, region)
    assert flags[["scale", "flag_id"]].values.tolist() == [
        ["Helsinki", "funded-activities-misaligned"], ["Helsinki", "funded-activities-unverified"],
        ["Helsinki", "training-share-unverified"], ["Helsinki", "funding-sources-repeated"],
        ["Helsinki-Uusimaa", "eip-aha-not-funding"], ["Helsinki-Uusimaa", "six-cities-partial"],
        ["Helsinki-Uusimaa", "smart-clean-foundation-role"]]
    table = funding.flags_table(helsinki, region)
    assert table.index.name == "flag_id" and table.index.is_unique
    assert list(table.columns) == ["scale", "field", "problem", "detail", "decision", "source"]
    assert table.loc["smart-clean-foundation-role", "scale"] == "Helsinki-Uusimaa"


# --- figure functions on tiny frames ------------------------------------------------------------


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_dedicated_funding_bars():
    rows = pd.DataFrame({"label": ["has funding"], "survey_round": ["2018"], "percent": [40.0],
                         "cities": pd.array([4], dtype="Int64"),
                         "base_n": pd.array([10], dtype="Int64")})
    fig = plots.dedicated_funding_bars(rows, "no", city="Town", note="the note")
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == [40.0]
    texts = _texts(fig)
    assert "40% (4 of 10 cities)" in texts
    assert "no: has no dedicated innovation funding" in texts
    assert "the note" in texts
    assert ax.get_title("left") == "Dedicated innovation funding: Town and the survey"
    assert "%" in ax.get_xlabel()


def test_funded_activity_bars_highlight_the_city():
    values = pd.DataFrame({"activity": ["A", "B"], "cities": [8, 2], "city_funds": [False, True],
                           "value": [80.0, 20.0]})
    fig = plots.funded_activity_bars(values, "share", city="Town", note="base note")
    ax = fig.axes[0]
    bars = ax.patches
    assert [b.get_width() for b in bars] == [80.0, 20.0]
    assert [to_hex(b.get_facecolor()) for b in bars] == [plots.CONTEXT.lower(),
                                                         plots.HIGHLIGHT.lower()]
    assert {"80% (8 cities)", "20% (2 cities)", "base note"} <= set(_texts(fig))
    assert ax.get_xlabel() == "share of responding cities (%)"
    assert ax.get_xlim() == (0.0, 80.0 * 1.3)
    count = plots.funded_activity_bars(values, "count", city="Town", note="n").axes[0]
    assert count.get_xlabel() == "cities (count as printed; base not stated)"
    low, high = count.get_xlim()
    assert low == 0 and 80 < high < 100  # fits the counts; does not run to 100 like a percent


def test_instrument_heatmap_cells():
    matrix = pd.DataFrame({
        "theme": pd.Categorical(["T1", "T1", "T2", "T2"], categories=["T1", "T2"]),
        "instrument": pd.Categorical(["Fund", "Net", "Fund", "Net"], categories=["Fund", "Net"]),
        "level": pd.Categorical(["EU"] * 4, categories=["EU", "national"]),
        "kind": ["funding", "network", "funding", "network"],
        "used": [True, False, True, True], "note": [None, None, None, "partial"],
        "n_themes": [2, 1, 2, 1]})
    fig = plots.instrument_heatmap(matrix, "Title", {("T2", "Net"): "a"}, "spearhead",
                                   note="the note")
    ax = fig.axes[0]
    filled = [p for p in ax.patches if to_hex(p.get_facecolor()) == plots.PALETTE[1].lower()]
    assert len(filled) == 3
    assert [p.get_hatch() for p in filled] == [None, None, "///"]
    texts = _texts(fig)
    assert {"(a)", "spearheads\nnaming it", "2", "Net (network)", "the note"} <= set(texts)
    assert ax.get_title("left") == "Title"


def test_funding_levels_dots():
    levels = pd.DataFrame({
        "common_level": pd.Categorical(["L1", "L2", "L1", "L2"], categories=["L1", "L2"]),
        "scale": ["city", "city", "region", "region"], "name": ["Town", "Town", "Reg", "Reg"],
        "n": [2, 0, 0, 1]})
    fig = plots.funding_levels_dots(levels, note="the note")
    texts = _texts(fig)
    assert {"2 sources", "1 instrument", "the note", "Town\n(city: funding sources)"} <= set(texts)
    filled = [c for c in fig.axes[0].collections
              if to_hex(c.get_facecolor()[0]) in (plots.HIGHLIGHT.lower(),
                                                   plots.PALETTE[1].lower())]
    assert len(filled) == 2


def test_funding_levels_dots_mark_weak_entries():
    levels = pd.DataFrame({
        "common_level": pd.Categorical(["L1", "L2", "L1", "L2"], categories=["L1", "L2"]),
        "scale": ["city", "city", "region", "region"], "name": ["Town", "Town", "Reg", "Reg"],
        "n": [1, 0, 2, 1],
        "status": [funding.UNCONFIRMED, "", funding.NAMED, funding.NOT_A_FUNDER]})
    ax = plots.funding_levels_dots(levels, note="the note").axes[0]
    dots = [c for c in ax.collections if c.get_sizes()[0] == 260]
    faces = [to_hex(c.get_facecolor()[0]) for c in dots]
    edges = [to_hex(c.get_edgecolor()[0]) for c in dots]
    assert faces == ["#ffffff", plots.PALETTE[1].lower(), "#ffffff"]
    assert edges == [plots.HIGHLIGHT.lower(), plots.PALETTE[1].lower(),
                     plots.PALETTE[1].lower()]
    assert [c.get_hatch() for c in dots] == [None, None, "////"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "named", "listed, use not confirmed", "implementer, not a funder", "not named"]


def test_region_without_instruments_draws_a_message(tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(FIXTURE_ROOT, root)
    path = root / "regions" / "test-region.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("instruments:")] + text[text.index("targets:"):],
                    encoding="utf-8")
    matrix = instruments.instrument_matrix(data.load_region("Test Region", root))
    assert matrix.empty
    fig = plots.instrument_heatmap(matrix, "Instruments", {}, "theme", note="Note.")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["No funding instruments are recorded for this region."]


def _findings(city: str, region: str | None) -> tuple[dict, list[str]]:
    r = data.load_region(region) if region else None
    counts = instruments.instrument_counts(instruments.instrument_matrix(r)) if r else {}
    return funding.findings(data.load_profile(city), r, counts)


def test_findings_of_a_city_and_region_with_instruments():
    found, headlines = _findings("Helsinki", "Helsinki-Uusimaa")
    assert found == {
        "City": "Helsinki", "Region": "Helsinki-Uusimaa", "Funding sources named by the city": 5,
        "Funding levels of the city": "innovative-financing, international, municipal, "
                                      "national, non-financial",
        "Funding instruments named by the region": 8, "Networks named by the region": 1}
    assert headlines == [
        "Helsinki's profile names 5 funding sources at 5 levels (innovative-financing, "
        "international, municipal, national, non-financial).",
        "Helsinki-Uusimaa's strategy names 8 funding instruments and 1 network for its themes."]


def test_findings_where_the_city_or_region_names_no_funding():
    found, headlines = _findings("Vienna", "Wien")
    assert found["Funding levels of the city"] == "none named"
    assert found["Funding instruments named by the region"] == 0
    assert headlines == ["Vienna's profile does not give its funding sources.",
                         "Wien's strategy names no funding instrument in the data."]
    found, headlines = _findings("Curridabat", None)
    assert found["Region"] == "none"
    assert headlines[1] == "Curridabat is paired with no region in the data."
