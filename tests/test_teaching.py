"""Exercise notebooks: check helpers, student versions, and the `teaching` command."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from helpers import papermill_run

from city_innovation import data, plots, teaching
from city_innovation.cli import main
from city_innovation.report.model import KERNEL_NAME as KERNEL
from city_innovation.teaching import answers
from city_innovation.teaching.checks import check_equal, check_figure, check_function
from city_innovation.teaching.handout import (
    HANDOUT_MARKER,
    MARKDOWN_PLACEHOLDER,
    TEACHING_DIR,
    student_version,
    teaching_notebooks,
)

TEACHER = teaching_notebooks()
NAMES = [p.name for p in TEACHER]


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _checks(source: str) -> list[tuple[str, str]]:
    """(name, hint) of every check_* call in a check cell, in order."""
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)
             and getattr(n.func, "id", "").startswith("check_")]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    return [(c.args[0].value, next(k.value.value for k in c.keywords if k.arg == "hint"))
            for c in calls]


def _printed(cell) -> list[str]:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("name") == "stdout").splitlines()


# --- check helpers -----------------------------------------------------------------------------


def test_a_right_number_is_correct_within_tolerance(capsys):
    check_equal("n", 53.94, 48 / 89 * 100, hint="divide", tol=0.05)
    assert capsys.readouterr().out == "✔ correct: n\n"


def test_a_wrong_number_is_not_yet_with_the_hint(capsys):
    check_equal("n", 7, 9, hint="read the heading")
    assert capsys.readouterr().out == ("✘ not yet: n: 7 is not the expected number. "
                                       "Hint: read the heading\n")


def test_an_unanswered_placeholder_says_so(capsys):
    check_equal("n", ..., 9, hint="h")
    assert capsys.readouterr().out.startswith("✘ not yet: n: replace the `...` with your answer")


@pytest.mark.parametrize(("got", "problem"), [
    (True, "expected a number, got bool"),
    ("9", "expected a number, got str"),
    ([9], "expected a number, got list"),
])
def test_a_wrong_kind_of_answer_is_named(capsys, got, problem):
    check_equal("n", got, 9, hint="h")
    assert f"✘ not yet: n: {problem}. Hint: h" in capsys.readouterr().out


def test_sets_report_missing_and_extra_values(capsys):
    check_equal("s", {"a", "x"}, {"a", "b"}, hint="h")
    assert capsys.readouterr().out == (
        "✘ not yet: s: 1 value(s) missing and 1 value(s) that should not be there ('x'). "
        "Hint: h\n")


def test_series_compare_as_mappings(capsys):
    expected = pd.Series({"missing": 6, "garbled": 3})
    check_equal("c", {"garbled": 3, "missing": 6}, expected, hint="h")
    check_equal("c", pd.Series({"garbled": 3, "missing": 5}), expected, hint="h")
    out = capsys.readouterr().out.splitlines()
    assert out == ["✔ correct: c", "✘ not yet: c: the value for 'missing' is not right. Hint: h"]


def test_tables_compare_expected_columns_ignoring_index_and_dtype(capsys):
    expected = pd.DataFrame({"activity": ["a", "b"], "cities": pd.array([79, 51], "Int64")})
    got = pd.DataFrame({"activity": ["a", "b"], "cities": [79.0, 51.0], "extra": [1, 2]},
                       index=[5, 7])
    check_equal("t", got, expected, hint="h")
    check_equal("t", got.iloc[::-1], expected, hint="h")
    check_equal("t", got.iloc[::-1], expected, hint="h", ordered=False)
    check_equal("t", got[["activity"]], expected, hint="h")
    check_equal("t", got.iloc[:1], expected, hint="h")
    check_equal("t", [1, 2], expected, hint="h")
    assert capsys.readouterr().out.splitlines() == [
        "✔ correct: t",
        "✘ not yet: t: column 'activity' does not hold the expected values (check the row order "
        "too). Hint: h",
        "✔ correct: t",
        "✘ not yet: t: missing column(s): 'cities'. Hint: h",
        "✘ not yet: t: expected 2 rows, got 1. Hint: h",
        "✘ not yet: t: expected a table (DataFrame), got list. Hint: h",
    ]


def test_a_check_never_raises(capsys):
    class Awkward:
        def __eq__(self, other):
            raise RuntimeError("no comparison")

    check_equal("x", Awkward(), object(), hint="h")
    out = capsys.readouterr().out
    assert out.startswith("✘ not yet: x: the answer could not be compared (RuntimeError: "
                          "no comparison)")


def test_check_function_tries_every_case(capsys):
    def right(a, b):
        return len(a & b) / len(a | b) if a | b else 0.0

    def unguarded(a, b):
        return len(a & b) / len(a | b)

    cases, expected = [({"x"}, {"x", "y"}), (set(), set())], [0.5, 0.0]
    for func in (right, unguarded, lambda a, b: 1.0, ..., 3):
        check_function("jaccard", func, cases, expected, hint="h")
    assert capsys.readouterr().out.splitlines() == [
        "✔ correct: jaccard",
        "✘ not yet: jaccard: jaccard(set(), set()) failed with ZeroDivisionError: division by "
        "zero. Hint: h",
        "✘ not yet: jaccard: jaccard({'x'}, {'x', 'y'}) gave 1.0, expected 0.5. Hint: h",
        "✘ not yet: jaccard: replace the `...` with your function and run that cell. Hint: h",
        "✘ not yet: jaccard: expected a function (def jaccard(...): ...), got int. Hint: h",
    ]


def _bars(colours: list[str], title: str = "T", xlabel: str = "cities", ylabel: str = "a"):
    fig, ax = plt.subplots()
    ax.barh(["p", "q", "r"][:len(colours)], [3, 2, 1][:len(colours)], color=colours)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return fig


def test_check_figure_counts_highlighted_bars_and_labels(capsys):
    good = _bars([plots.HIGHLIGHT, plots.CONTEXT, plots.HIGHLIGHT])
    check_figure("fig", good, hint="h", highlighted=2)
    check_figure("fig", good, hint="h", highlighted=1)
    check_figure("fig", _bars([plots.HIGHLIGHT], title="", ylabel=""), hint="h", highlighted=1)
    check_figure("fig", ..., hint="h", highlighted=1)
    check_figure("fig", "a chart", hint="h", highlighted=1)
    plt.close("all")
    assert capsys.readouterr().out.splitlines() == [
        "✔ correct: fig",
        "✘ not yet: fig: 2 bar(s) drawn in the highlight colour, expected 1. Hint: h",
        "✘ not yet: fig: the chart needs a title and a y-axis label. Hint: h",
        "✘ not yet: fig: replace the `...` with your chart and run that cell. Hint: h",
        "✘ not yet: fig: expected a matplotlib Figure (from `fig, ax = plt.subplots()`), "
        "got str. Hint: h",
    ]


# --- expected answers come from data -----------------------------------------------------------


def test_expected_answers_are_the_data_values():
    p, bench = data.load_profile("Helsinki"), data.benchmarks()
    assert answers.role_counts(p) == (9, 7)
    assert answers.repeated_activity(p) == "Investing in physical infrastructure"
    assert answers.chartable_counts(p)["cities"].tolist() == [79, 51, 36, 30]
    assert (answers.respondents(bench, "2018"), answers.respondents(bench, "2018+2020")) == \
        (89, 147)
    pairs = answers.count_percent_pairs(bench, "oecd-map-methodology-2019")
    assert pairs[["percent", "cities", "share_of_respondents", "implied_base"]].values.tolist() \
        == [[55, 48, 53.9, 87.3], [80, 70, 78.7, 87.5], [85, 75, 84.3, 88.2]]
    shares = answers.shares_under_bases(p, bench)
    assert shares["share_if_2018"].tolist() == [88.8, 57.3, 40.4, 33.7]
    assert shares["share_if_both"].tolist() == [53.7, 34.7, 24.5, 20.4]
    assert answers.highlighted_bars(p) == 2
    assert answers.not_known_to_be_round_only(p) == {
        "Idea generation & brainstorming", "Investing in digital systems",
        "Investing in physical infrastructure"}
    assert answers.percent_rows_without_base(bench) == 26
    r = data.load_region("Helsinki-Uusimaa")
    assert answers.themes_per_period(r).to_dict() == {"2014-2020": 5, "2018-2020": 4,
                                                       "2021-2027": 3}
    assert answers.shared_years(r) == {2018, 2019, 2020}
    assert answers.untraced_themes(r, "2018-2020") == {"Urban cleantech", "Health & wellness",
                                                        "Digitalising industry"}
    assert answers.link_agreement(r, 0.2)["status"].value_counts().to_dict() == \
        {"documented only": 6, "inferred only": 1}
    assert answers.threshold_sensitivity(r)[["n_links", "n_documented"]].values.tolist() == \
        [[7, 4], [6, 4], [5, 4], [4, 3], [2, 1], [1, 0]]
    assert answers.method_summary(r, 0.2).set_index("method")["agree"].to_dict() == \
        {"tfidf": 4, "jaccard": 2}


def test_flagged_sections_counts_every_field_of_a_flag(capsys):
    p = data.load_profile("Helsinki")
    flags = data.flags(p)
    assert "strategy.survey_share, dedicated_funding.survey_share" in set(flags["field"])
    expected = answers.flagged_sections(p)
    assert {"strategy", "dedicated_funding", "innovation_website"} <= expected
    assert len(expected) == 13
    # the answer that splits each field on "." only loses the second field of a flag
    first_only = set(flags["field"].str.split(".").str[0])
    check_equal("flagged_sections", first_only, expected, hint="h")
    check_equal("flagged_sections", expected, expected, hint="h")
    assert capsys.readouterr().out.splitlines() == [
        "✘ not yet: flagged_sections: 1 value(s) missing. Hint: h",
        "✔ correct: flagged_sections",
    ]


def test_column_order_is_checked_only_when_asked(capsys):
    expected = pd.DataFrame({"method": ["a"], "agree": [1], "inferred only": [2]})
    swapped = expected[["method", "inferred only", "agree"]]
    check_equal("t", swapped, expected, hint="h")
    check_equal("t", swapped, expected, hint="h", column_order=True)
    check_equal("t", expected, expected, hint="h", column_order=True)
    check_equal("t", ..., expected, hint="h", column_order=True)
    assert capsys.readouterr().out.splitlines() == [
        "✔ correct: t",
        "✘ not yet: t: the columns should be, in this order: 'method', 'agree', "
        "'inferred only'. Hint: h",
        "✔ correct: t",
        "✘ not yet: t: replace the `...` with your answer and run that cell. Hint: h",
    ]


# --- student versions ----------------------------------------------------------------------------


CHECK_SOURCE = ("check_equal('answer', answer, 21, hint='add one')\n"
                "check_function('twice', twice, [(1,)], [2], hint='double')")


def _toy_notebook():
    nb = nbformat.v4.new_notebook()
    cells = [
        nbformat.v4.new_markdown_cell("Define `answer`.", metadata={"tags": ["exercise"]}),
        nbformat.v4.new_code_cell("helper = 20\nanswer, spare = helper + 1, 0\n"
                                  "def twice(x):\n    return 2 * x",
                                  metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell(CHECK_SOURCE, metadata={"tags": ["check"]}),
        nbformat.v4.new_markdown_cell("Why?", metadata={"tags": ["exercise"]}),
        nbformat.v4.new_markdown_cell("Because.", metadata={"tags": ["solution"]}),
    ]
    for i, c in enumerate(cells):
        c["id"] = f"toy-{i}"
    cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✔ correct\n")]
    cells[2].execution_count = 3
    nb.cells = cells
    return nb


def test_student_version_replaces_solutions_with_placeholders():
    student = nbformat.reads(student_version(_toy_notebook()), as_version=4)
    got = [(c.cell_type, c.source, _tags(c)) for c in student.cells]
    assert got == [
        ("markdown", "Define `answer`.", ["exercise"]),
        ("code", "# your code here\nanswer = ...\ntwice = ...", ["answer"]),
        ("code", CHECK_SOURCE, ["check"]),
        ("markdown", "Why?", ["exercise"]),
        ("markdown", MARKDOWN_PLACEHOLDER, ["answer"]),
    ]
    assert student.cells[2].outputs == [] and student.cells[2].execution_count is None
    assert [c.id for c in student.cells] == ["toy-0", "toy-1-answer", "toy-2", "toy-3",
                                             "toy-4-answer"]
    nbformat.validate(student)


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The student versions written by the command into a fresh folder."""
    out = tmp_path_factory.mktemp("teaching") / "handout"
    assert main(["teaching", "--out", str(out)]) == 0
    return out


def test_the_command_writes_every_notebook_and_a_readme(handout):
    assert sorted(p.name for p in handout.iterdir()) == sorted(
        [*NAMES, "README.md", HANDOUT_MARKER])
    assert NAMES == ["1_profile_to_tidy_data.ipynb", "2_benchmarking_a_city.ipynb",
                     "3_tracing_strategy_themes.ipynb"]
    assert not [p for p in handout.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", NAMES)
def test_student_version_holds_no_solution_and_no_output(handout, name):
    teacher = nbformat.read(TEACHING_DIR / name, as_version=4)
    student = nbformat.read(handout / name, as_version=4)
    solution_lines = {line.strip() for c in teacher.cells if "solution" in _tags(c)
                      for line in c.source.splitlines() if line.strip()}
    student_lines = {line.strip() for c in student.cells for line in c.source.splitlines()}
    assert solution_lines and not solution_lines & student_lines
    assert not [c for c in student.cells if "solution" in _tags(c)]
    assert all(c.outputs == [] and c.execution_count is None
               for c in student.cells if c.cell_type == "code")
    n_solutions = sum("solution" in _tags(c) for c in teacher.cells)
    assert sum(_tags(c) == ["answer"] for c in student.cells) == n_solutions
    assert [c.source for c in student.cells if "check" in _tags(c)] == \
        [c.source for c in teacher.cells if "check" in _tags(c)]
    assert student.metadata.kernelspec.name == KERNEL


def test_an_existing_handout_is_refused_without_force_and_replaced_with_it(tmp_path, capsys):
    out = tmp_path / "handout"
    assert main(["teaching", "--out", str(out), str(TEACHER[0])]) == 0
    (out / "my notes.txt").write_text("kept?")
    before = (out / NAMES[0]).read_text()
    capsys.readouterr()
    assert main(["teaching", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --out {out}: already exists (use --force to replace it)\n"
    assert (out / "my notes.txt").exists() and (out / NAMES[0]).read_text() == before
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [NAMES[0], "README.md", "my notes.txt", HANDOUT_MARKER])
    assert main(["teaching", "--out", str(out), "--force"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*NAMES, "README.md", HANDOUT_MARKER])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout"]


def test_a_missing_notebook_is_refused(tmp_path, capsys):
    assert main(["teaching", "--out", str(tmp_path / "h"), "nope.ipynb"]) == 2
    assert capsys.readouterr().err.startswith("error: notebook nope.ipynb: not found")
    assert not (tmp_path / "h").exists()


# --- the notebooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_package_exports_every_name_a_notebook_calls(name):
    nb = nbformat.read(TEACHING_DIR / name, as_version=4)
    called = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "teaching":
                called.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.module == "city_innovation.teaching":
                called |= {alias.name for alias in node.names}
    assert called and called <= set(teaching.__all__)


@pytest.mark.parametrize("name", NAMES)
def test_teacher_version_structure_and_every_check_passes(name):
    nb = nbformat.read(TEACHING_DIR / name, as_version=4)
    assert nb.metadata.kernelspec == {"name": KERNEL, "display_name": "Python (city-innovation)",
                                      "language": "python"}
    assert nb.cells[0].source.startswith("# Exercise ")
    assert "**Learning goals.**" in nb.cells[0].source
    assert nb.cells[-1].source.startswith("## What you learned")
    checks = [c for c in nb.cells if "check" in _tags(c)]
    assert len(checks) >= 5
    for cell in checks:
        names = [n for n, _ in _checks(cell.source)]
        assert _printed(cell) == [f"✔ correct: {n}" for n in names], cell.source
    # every exercise has a solution, every solution an exercise before it
    kinds = [t for c in nb.cells for t in _tags(c) if t in ("exercise", "solution")]
    assert kinds.count("exercise") == kinds.count("solution")


def _run(path: Path):
    """Run a notebook anywhere with papermill, in its own folder (as JupyterLab would); the
    executed copy goes beside that folder, which stays as the command wrote it."""
    return papermill_run(path, path.parent.parent / f"{path.stem}.out.ipynb",
                         cwd=str(path.parent))


@pytest.mark.notebook
@pytest.mark.parametrize("name", NAMES)
def test_student_version_runs_and_every_check_says_not_yet(handout, name):
    nb = _run(handout / name)
    checks = [c for c in nb["cells"] if "check" in _tags(c)]
    assert checks
    for cell in checks:
        expected = _checks(cell["source"])
        lines = _printed(cell)
        assert len(lines) == len(expected), cell["source"]
        for line, (check_name, hint) in zip(lines, expected, strict=True):
            assert line.startswith(f"✘ not yet: {check_name}: ")
            assert line.endswith(f". Hint: {hint}")
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert json.dumps(outputs).count("✔") == 0


def test_force_never_replaces_a_folder_it_did_not_write(tmp_path, capsys):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["teaching", "--out", str(mine), "--force"]) == 2
    assert "was not written by `city-innovation teaching`" in capsys.readouterr().err
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_out_may_not_hold_the_teacher_notebooks(tmp_path, capsys):
    folder = tmp_path / "t"
    folder.mkdir()
    teacher = folder / "1_profile_to_tidy_data.ipynb"
    shutil.copy(TEACHING_DIR / teacher.name, teacher)
    assert main(["teaching", "--out", str(folder), "--force", str(teacher)]) == 2
    assert "holds the teacher notebook 1_profile_to_tidy_data.ipynb" in capsys.readouterr().err
    assert teacher.is_file()


def test_not_a_notebook_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json", encoding="utf-8")
    assert main(["teaching", "--out", str(tmp_path / "h"), str(bad)]) == 2
    assert capsys.readouterr().err == f"error: notebook {bad}: not a readable notebook " \
                                      "(NotJSONError)\n"
