"""Specialisation themes: period selection, lineage (documented and inferred), focus areas,
crosswalk, targets, and the figure functions of notebook 03."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
from matplotlib.patches import PathPatch  # noqa: E402

from city_innovation import data, plots  # noqa: E402
from city_innovation.analysis import themes  # noqa: E402
from city_innovation.errors import ParameterError  # noqa: E402
from city_innovation.params import ThemesParams  # noqa: E402

P = ["2001-2002", "2003-2004", "2005-2006"]


def _themes(rows: list[tuple], periods: list[str] = P) -> pd.DataFrame:
    """A frame shaped like ``data.themes`` from (period, theme_id, name, summary, focus)."""
    df = pd.DataFrame([{"period": p, "order": periods.index(p), "theme_id": tid, "theme": name,
                        "summary": summary, "focus_areas": focus, "source": "hand-made"}
                       for p, tid, name, summary, focus in rows])
    df["period"] = pd.Categorical(df["period"], categories=periods, ordered=True)
    return df


@pytest.fixture
def small() -> pd.DataFrame:
    """Two themes, then three, then one; a1 ~ b1 ~ c1 (energy), a2 ~ b2 (care), b3 alone."""
    return _themes([
        (P[0], "a1", "Clean energy", "solar and wind power", ["solar power", "wind power"]),
        (P[0], "a2", "Health", "hospital care for patients", ["patient care",
                                                                "hospital services"]),
        (P[1], "b1", "Renewables", "wind power and solar parks", ["wind power", "solar power"]),
        (P[1], "b2", "Care at home", "care for patients at home", ["patient care", "home care"]),
        (P[1], "b3", "Space", "rocket science", ["rockets"]),
        (P[2], "c1", "Renewable power", "solar parks", ["solar power"]),
    ])


@pytest.fixture
def small_lineage() -> pd.DataFrame:
    """Documented edges: a1 -> b1 (stated), b1 -> c1 (same name), b3 -> c1 (implied)."""
    return pd.DataFrame([
        {"from_id": "a1", "to_id": "b1", "to_period": P[1], "relation": "continued",
         "basis": "stated", "source": "doc-1"},
        {"from_id": "b1", "to_id": "c1", "to_period": P[2], "relation": "renamed",
         "basis": "same-name", "source": "doc-2"},
        {"from_id": "b3", "to_id": "c1", "to_period": P[2], "relation": "merged-into",
         "basis": "implied", "source": "doc-2"},
    ])


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["from_id"], frame["to_id"], strict=True))


# --- periods ----------------------------------------------------------------------------------


def test_select_periods_keeps_data_order(small):
    out = themes.select_periods(small, [P[0], P[2]])
    assert list(out["period"].cat.categories) == [P[0], P[2]]
    assert list(out["theme_id"]) == ["a1", "a2", "c1"]
    assert list(themes.select_periods(small, None)["period"].cat.categories) == P


@pytest.mark.parametrize(("chosen", "message"), [
    ([P[2], P[0]], "must be distinct and in chronological order"),
    ([P[0], P[0]], "must be distinct and in chronological order"),
    ([P[0], "1999-2000"], "unknown period(s) ['1999-2000']"),
])
def test_select_periods_refuses(small, chosen, message):
    with pytest.raises(ParameterError, match="parameter periods") as err:
        themes.select_periods(small, chosen)
    assert message in str(err.value)


def test_period_pairs():
    assert themes.period_pairs(P) == [(P[0], P[1]), (P[1], P[2])]
    assert themes.period_pairs(P[:1]) == []


def test_period_table_and_timeline_text(region):
    table = themes.period_table(data.periods(region), ["2014-2020", "2018-2020", "2021-2027"])
    assert table["n_themes"].tolist() == [5, 4, 3]
    assert table["approved_year"].tolist() == [2014, 2017, 2020]
    assert themes.timeline_text(table) == (
        "Themes per period (5 -> 4 -> 3): 2014-2020: 5 themes; 2018-2020: 4 spearheads; "
        "2021-2027: 3 themes.")
    terms = themes.focus_terms(themes.select_periods(data.themes(region), None))
    assert themes.timeline_text(table, terms).endswith(
        "2021-2027: 3 themes. Canonical focus-area terms per period (section 5): 14 -> 20 -> 21.")


def test_overlap_text_cites_the_section_flag(region):
    periods, flags = data.periods(region), data.flags(region)
    table = themes.period_table(periods, ["2014-2020", "2018-2020", "2021-2027"])
    assert themes.overlap_text(table, flags) == (
        "2018-2020 starts in 2018, before 2014-2020 ends (2020): it is treated as a successor of "
        "the 2014-2020 themes (not stated in the sources; flag periods-overlap).")
    assert themes.overlap_text(table, flags.iloc[:0]).endswith("(not stated in the sources).")
    assert themes.overlap_text(themes.period_table(periods, ["2018-2020", "2021-2027"]),
                               flags) == "No chosen period starts before the previous one ends."


@pytest.mark.parametrize(("values", "message"), [
    ({"periods": ["2014-2020", "2030-2040"]}, "unknown period(s) ['2030-2040']"),
    ({"periods": ["2021-2027", "2014-2020"]}, "must be in chronological order"),
    ({"periods": ["2014-2020", "2014-2020"]}, "a period is repeated"),
    ({"periods": []}, "give one period or more"),
    ({"link_threshold": 1.5}, "parameter link_threshold: 1.5 is outside 0-1"),
    ({"link_threshold": -0.1}, "parameter link_threshold: -0.1 is outside 0-1"),
    ({"similarity": "cosine"}, "parameter similarity: Input should be 'tfidf' or 'jaccard'"),
])
def test_params_refused_with_clear_message(values, message):
    with pytest.raises(ParameterError) as err:
        ThemesParams.parse(**values)
    assert message in str(err.value)


def test_params_default_periods_are_all_in_order():
    assert ThemesParams.parse(periods=None).periods == ["2014-2020", "2018-2020", "2021-2027"]


# --- similarity and inferred lineage ----------------------------------------------------------


def test_tfidf_links_on_hand_made_example(small):
    scores = themes.similarity(small, "tfidf")
    assert len(scores) == 2 * 3 + 3 * 1
    assert _pairs(themes.inferred_links(scores, 0.2)) == {("a1", "b1"), ("a2", "b2"),
                                                         ("b1", "c1")}
    assert _pairs(themes.inferred_links(scores, 0.6)) == {("a1", "b1"), ("b1", "c1")}
    assert _pairs(themes.inferred_links(scores, 0.8)) == {("a1", "b1")}
    unrelated = scores[scores["to_id"] == "b3"]
    assert unrelated["score"].tolist() == [0.0, 0.0]


def test_jaccard_scores_on_hand_made_example(small):
    scores = themes.similarity(small, "jaccard").set_index(["from_id", "to_id"])["score"]
    assert scores[("a1", "b1")] == 1.0  # the same two focus areas
    assert scores[("a2", "b2")] == 0.33  # one shared of three
    assert scores[("b1", "c1")] == 0.5
    assert scores[("a1", "b2")] == 0.0


def test_jaccard_uses_canonical_terms():
    t = _themes([(P[0], "x", "X", "s", ["internet of things"]),
                 (P[1], "y", "Y", "s", ["Industrial internet of things"])], P[:2])
    assert themes.similarity(t, "jaccard")["score"].tolist() == [1.0]
    assert themes.jaccard(set(), set()) == 0.0


def test_similarity_is_deterministic_and_order_free(small):
    first = themes.similarity(small, "tfidf")
    assert first.equals(themes.similarity(small, "tfidf"))
    shuffled = small.sample(frac=1, random_state=3).sort_values("period", kind="stable")
    again = themes.similarity(shuffled, "tfidf")
    key = ["from_id", "to_id"]
    pd.testing.assert_frame_equal(first.sort_values(key).reset_index(drop=True),
                                  again.sort_values(key).reset_index(drop=True))


def test_pair_scores_do_not_depend_on_other_periods(small):
    both = themes.similarity(small, "tfidf")
    alone = themes.similarity(themes.select_periods(small, P[:2]), "tfidf")
    assert both[both["to_period"] == P[1]].reset_index(drop=True).equals(alone)


def test_unknown_method_refused(small):
    with pytest.raises(ParameterError, match="allowed: tfidf, jaccard"):
        themes.similarity(small, "cosine")


# --- documented lineage and the comparison --------------------------------------------------


def test_documented_links_between_consecutive_periods(small, small_lineage):
    doc = themes.documented_links(small_lineage, small)
    assert doc[["from_id", "to_id", "basis", "via"]].values.tolist() == [
        ["a1", "b1", "stated", ""], ["b1", "c1", "same-name", ""], ["b3", "c1", "implied", ""]]


def test_documented_links_chain_through_a_skipped_period(small, small_lineage):
    doc = themes.documented_links(small_lineage, themes.select_periods(small, [P[0], P[2]]))
    assert doc[["from_id", "to_id", "relation", "basis", "via", "source"]].values.tolist() == [
        ["a1", "c1", "continued then renamed", "same-name", P[1], "doc-1; doc-2"]]


def test_compare_links_statuses(small, small_lineage):
    doc = themes.documented_links(small_lineage, small)
    cmp = themes.compare_links(doc, themes.similarity(small, "tfidf"), 0.2)
    status = dict(zip(zip(cmp["from_id"], cmp["to_id"], strict=True), cmp["status"],
                      strict=True))
    assert status == {("a1", "b1"): "agree", ("a2", "b2"): "inferred only",
                      ("b1", "c1"): "agree", ("b3", "c1"): "documented only"}
    assert cmp.loc[cmp["status"] == "documented only", "score"].tolist() == [0.0]
    text = themes.agreement_text(cmp, themes.period_pairs(P), "tfidf", 0.2)
    assert text.startswith("With TF-IDF text similarity at a threshold of 0.20, 2 of 3 "
                           "documented links are also found by similarity; 1 link is "
                           "documented only and 1 link is inferred only.")
    assert f"{P[0]} -> {P[1]}: 1 documented, 2 inferred." in text


def test_helsinki_lineage_agreement(region):
    t = themes.select_periods(data.themes(region), None)
    cmp = themes.compare_links(themes.documented_links(data.lineage(region), t),
                               themes.similarity(t, "tfidf"), 0.2)
    got = {(r.from_id, r.to_id): (r.status, r.score) for r in cmp.itertuples()}
    assert got == {
        ("urban-cleantech-2014", "urban-cleantech-2018"): ("agree", 0.27),
        ("human-health-tech-2014", "health-wellness-2018"): ("agree", 0.45),
        ("digitalising-industry-2014", "digitalising-industry-2018"): ("documented only", 0.19),
        ("welfare-city-2014", "citizen-city-2018"): ("agree", 0.47),
        ("smart-citizen-2014", "citizen-city-2018"): ("documented only", 0.17),
        ("urban-cleantech-2018", "climate-neutrality-2021"): ("inferred only", 0.24),
        ("health-wellness-2018", "industrial-modernisation-2021"): ("inferred only", 0.24),
        ("digitalising-industry-2018", "industrial-modernisation-2021"): ("inferred only", 0.27),
        ("citizen-city-2018", "citizens-city-2021"): ("agree", 0.41),
    }


def test_helsinki_jaccard_two_periods(region):
    t = themes.select_periods(data.themes(region), ["2018-2020", "2021-2027"])
    scores = themes.similarity(t, "jaccard").set_index(["from_id", "to_id"])["score"]
    # circular economy, bioeconomy, cleantech shared of 7 terms; 3 of 9 for the city themes
    assert scores[("urban-cleantech-2018", "climate-neutrality-2021")] == 0.43
    assert scores[("citizen-city-2018", "citizens-city-2021")] == 0.33
    assert _pairs(themes.inferred_links(themes.similarity(t, "jaccard"), 0.35)) == {
        ("urban-cleantech-2018", "climate-neutrality-2021")}
    assert _pairs(themes.inferred_links(themes.similarity(t, "jaccard"), 0.3)) == {
        ("urban-cleantech-2018", "climate-neutrality-2021"),
        ("citizen-city-2018", "citizens-city-2021")}


# --- the flow figure's data ------------------------------------------------------------------


def test_flow_data_layout(small, small_lineage):
    doc = themes.documented_links(small_lineage, small)
    links = themes.compare_links(doc, themes.similarity(small, "tfidf"), 0.2)
    nodes, bands = themes.flow_data(small, links)
    pos = nodes.set_index("theme_id")
    # the tallest column (three themes) starts at 0; shorter ones are centred
    assert pos.loc[["b1", "b2", "b3"], "y0"].tolist() == pytest.approx([0.0, 1.6, 3.2])
    assert pos.loc[["a1", "a2"], "y0"].tolist() == pytest.approx([0.8, 2.4])
    assert pos.loc["c1", "y0"] == pytest.approx(1.6)
    assert pos["column"].to_dict() == {"a1": 0, "a2": 0, "b1": 1, "b2": 1, "b3": 1, "c1": 2}
    # c1 receives two bands: its left side is split in two, ordered by the source row
    into_c1 = bands[bands["to_id"] == "c1"].set_index("from_id")
    assert into_c1.loc["b1", ["to_y0", "to_y1"]].tolist() == pytest.approx([1.6, 2.1])
    assert into_c1.loc["b3", ["to_y0", "to_y1"]].tolist() == pytest.approx([2.1, 2.6])
    assert into_c1.loc["b3", ["from_y0", "from_y1"]].tolist() == pytest.approx([3.2, 4.2])
    assert bands.set_index(["from_id", "to_id"])["status"].to_dict() == {
        ("a1", "b1"): "agree", ("a2", "b2"): "inferred only", ("b1", "c1"): "agree",
        ("b3", "c1"): "documented only"}


def test_flow_data_orders_columns_by_predecessors(small):
    links = pd.DataFrame({"from_id": ["a1", "a2"], "to_id": ["b2", "b1"]})
    nodes, bands = themes.flow_data(themes.select_periods(small, P[:2]), links)
    assert nodes.loc[nodes["column"] == 1, "theme_id"].tolist() == ["b2", "b1", "b3"]
    assert bands[["from_y0", "to_y0"]].to_numpy().ravel().tolist() == pytest.approx(
        [0.8, 0.0, 2.4, 1.6])


# --- focus areas ----------------------------------------------------------------------------


def test_focus_terms_keep_raw_wordings(region):
    t = themes.select_periods(data.themes(region), None)
    terms = themes.focus_terms(t)
    iot = terms[terms["term"] == "IoT"]
    assert sorted(iot["raw_term"]) == ["industrial internet", "industrial internet of things",
                                       "internet of things", "internet of things"]
    mapping = themes.term_mapping(terms).set_index("term")
    assert mapping.loc["IoT", "periods"] == "2014-2020, 2018-2020, 2021-2027"
    assert mapping.loc["cleantech", "raw_terms"] == "clean technology; consumer cleantech"


def test_focus_changes_helsinki(region):
    terms = themes.focus_terms(themes.select_periods(data.themes(region), None))
    changes = themes.focus_changes(terms).set_index("period")
    assert changes["terms"].tolist() == [14, 20, 21]
    assert changes.loc["2014-2020", ["new", "carried_over", "dropped"]].tolist() == ["–"] * 3
    assert changes.loc["2018-2020", ["new", "carried_over", "dropped"]].tolist() == [15, 5, 9]
    assert changes.loc["2021-2027", ["new", "carried_over", "dropped"]].tolist() == [11, 10, 10]
    assert "hydrogen" in changes.loc["2021-2027", "new_terms"].split(", ")
    assert "cyber security" in changes.loc["2021-2027", "new_terms"].split(", ")


def test_focus_status(small):
    status = themes.focus_status(themes.focus_terms(small))
    solar = status[status["term"] == "solar power"]
    assert solar["status"].tolist() == ["first period", "carried over", "carried over"]
    assert set(status.loc[status["term"] == "rockets", "dropped_after"]) == {P[1]}
    assert set(status.loc[status["term"] == "home care", "status"]) == {"new"}
    assert status["term"].iloc[0] == "solar power"  # ordered by first appearance
    assert not status["merged"].any()


def test_focus_status_marks_only_terms_joining_several_wordings(region):
    status = themes.focus_status(themes.focus_terms(themes.select_periods(data.themes(region),
                                                                          None)))
    assert sorted(set(status.loc[status["merged"], "term"])) == [
        "IoT", "cleantech", "data", "emission reduction", "health care", "urban development"]
    # "hydrogen technology" is the only wording of hydrogen: renamed, not joined
    assert not status.loc[status["term"] == "hydrogen", "merged"].any()


# --- crosswalk and targets --------------------------------------------------------------------


def test_topics_in_text():
    assert themes.topics_in("Low-carbon mobility and the built environment") == [
        "climate & energy", "mobility", "urban"]
    assert themes.topics_in("internal performance management") == []


def test_crosswalk_helsinki(region, helsinki):
    t = themes.select_periods(data.themes(region), None)
    items = themes.city_items(data.policy_areas(helsinki), data.activities(helsinki))
    assert items["kind"].value_counts().to_dict() == {"activity": 5, "policy area": 2}
    assert items.loc[items["kind"] == "activity", "item"].iloc[0] == \
        "Taking risks and testing new ideas"  # the city's wording, not the survey option's
    cross = themes.crosswalk(t, items).set_index(["theme_id", "item"])
    assert cross.loc[("climate-neutrality-2021", "Environment and climate change"),
                     "shared"] == ["climate & energy", "mobility", "urban"]
    assert cross.loc[("human-health-tech-2014", "Digital services"), "n_shared"] == 1


def test_flags_about(region):
    flags = data.flags(region)
    assert themes.flags_about(flags, "lineage")["flag_id"].tolist() == [
        "health-theme-rename", "lineage-2018-2021"]
    assert themes.flags_about(flags, "periods", ["2021-2027"])["flag_id"].tolist() == [
        "period-2021-2027-dates", "periods-overlap"]
    assert themes.flags_about(flags, "periods", ["2018-2020"])["flag_id"].tolist() == [
        "periods-overlap", "typos-2018-page"]
    assert themes.flags_about(flags, "periods", ["2014-2020", "2018-2020", "2021-2027"],
                              skip=["garbled"])["flag_id"].tolist() == [
        "period-2021-2027-dates", "periods-overlap"]
    assert themes.flags_about(flags, "periods", ["2018-2020"], themes=True)["flag_id"].tolist() \
        == ["consumer-cleantech-typo", "periods-overlap"]
    table = data.flag_table(flags)
    assert len(table) == 28 and table.index.name == "flag_id"
    assert list(table.columns) == ["field", "problem", "detail", "decision", "source"]
    assert table.loc["periods-overlap", "problem"] == "ambiguous"
    note = themes.source_note(pd.DataFrame({"source": ["a; b", "b"]}),
                              flags=themes.flags_about(flags, "targets"))
    assert note.startswith("Sources: a, b. Flagged: climate-neutral-vs-city (The region "
                           "targets")


# --- figure functions on tiny frames ---------------------------------------------------------


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + \
        [t.get_text() for t in fig.texts]


def test_period_timeline_figure():
    periods = pd.DataFrame({"period": P[:2], "start": [2001, 2003], "end": [2002, 2004],
                            "name": ["First", None], "theme_word": ["theme", "spearhead"],
                            "approved_year": pd.array([2000, None], dtype="Int64"),
                            "approved_by": ["Board", None], "n_themes": [2, 1]})
    fig = plots.period_timeline(periods, note="Sources: x.")
    ax = fig.axes[0]
    assert len(ax.patches) == 2
    assert [b.get_width() for b in ax.patches] == [2, 2]
    assert {"First: 2 themes", "1 spearhead", "approved 2000 by Board", "Sources: x."} <= \
        set(_texts(fig))
    assert ax.get_title(loc="left") == "Strategy periods, their approval and number of themes"


def test_lineage_flow_figure(small, small_lineage):
    doc = themes.documented_links(small_lineage, small)
    links = themes.compare_links(doc, themes.similarity(small, "tfidf"), 0.2)
    nodes, bands = themes.flow_data(small, links)
    periods = pd.DataFrame({"period": P, "name": [None, "Mid", None],
                            "theme_word": ["theme"] * 3, "n_themes": [2, 3, 1]})
    fig = plots.lineage_flow(nodes, bands, periods, 0.2, "tfidf", note="n")
    ax = fig.axes[0]
    dashed = [p for p in ax.patches
              if isinstance(p, PathPatch) and isinstance(p.get_linestyle(), tuple)]
    assert len(dashed) == 3  # a1-b1, a2-b2, b1-c1 are inferred
    assert {"Clean energy", "Renewables", "Mid\n3 themes", "1 theme"} <= set(_texts(fig))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["documented: stated in a source", "documented: same name in both periods",
                      "documented: implied, not stated",
                      "inferred: TF-IDF cosine similarity of summary and focus areas at least "
                      "0.20"]


def test_similarity_heatmaps_figure(small, small_lineage):
    doc = themes.documented_links(small_lineage, small)
    scores = themes.similarity(small, "jaccard")
    fig = plots.similarity_heatmaps(scores, themes.compare_links(doc, scores, 0.5), 0.5,
                                    "jaccard")
    heat = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in heat] == [f"{P[0]} → {P[1]}", f"{P[1]} → {P[2]}"]
    assert [t.get_text() for t in heat[0].texts] == ["1.00", "0.00", "0.00", "0.00", "0.33",
                                                     "0.00"]
    assert heat[1].get_ylabel() == f"theme in {P[1]}"


def test_focus_matrix_figure(small):
    status = themes.focus_status(themes.focus_terms(small))
    fig = plots.focus_matrix(status, small)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["solar power", "wind power"]
    assert f"dropped after {P[1]}" in _texts(fig)
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(
        status.drop_duplicates(["term", "theme_id"]))


def test_crosswalk_figure():
    t = _themes([(P[0], "a", "Clean air", "low-carbon mobility", ["energy"]),
                 (P[1], "b", "Data city", "open data", ["citizen participation"])], P[:2])
    items = pd.DataFrame({"kind": ["policy area", "activity"],
                          "item": ["Climate", "Engaging residents"],
                          "text": ["carbon neutral city", "engaging residents and data"],
                          "source": ["s", "s"]})
    cross = themes.crosswalk(t, items)
    assert cross["n_shared"].tolist() == [1, 0, 0, 2]
    fig = plots.crosswalk_matrix(cross, note="Keyword-based.")
    assert "data\ncitizens" in _texts(fig)
    assert "climate & energy" in _texts(fig)
    assert fig.axes[0].get_title(loc="left").startswith("Keyword-based crosswalk")
