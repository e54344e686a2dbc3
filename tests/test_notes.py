"""The one wording of figure notes (present/notes.py)."""

from __future__ import annotations

from city_innovation.present.notes import figure_note, source_ids


def test_sources_only_are_listed_once_in_first_seen_order():
    assert figure_note(["pnd-2019", None, "oecd-map; pnd-2019", float("nan")]) == (
        "Sources: pnd-2019, oecd-map.")


def test_sources_and_caveats_each_caveat_a_sentence():
    assert figure_note(["a"], ["Counts of cities as printed", "Base uncertain.", " "]) == (
        "Sources: a. Counts of cities as printed. Base uncertain.")


def test_flags_by_id_or_with_their_detail():
    assert figure_note(["a", "b"], ["One caveat."],
                       ["staff-sum", ("roles-count", "The page states 5 roles, lists 4.")]) == (
        "Sources: a, b. One caveat. Flagged: staff-sum; roles-count (The page states 5 roles, "
        "lists 4).")


def test_a_note_without_sources_keeps_its_caveats_and_flags():
    assert figure_note([], ["3 of 4 cities."], ["x"]) == "3 of 4 cities. Flagged: x."
    assert figure_note([]) == ""


def test_source_ids_skip_empty_cells():
    assert source_ids(["a; b", "", "b", None]) == ["a", "b"]
