"""Exercise notebooks: checks students run, expected answers computed from data, student versions.

The teacher versions in ``notebooks/teaching/`` tag their cells ``exercise`` (the prompt),
``solution`` (the teacher's answer) and ``check`` (a cell that compares the student's answer with
the expected one). The check helpers print ``✔ correct`` or ``✘ not yet: <what differs>. Hint:
...`` and never raise, so a student who has not answered yet sees a message instead of a
traceback and the kernel keeps running. Expected answers are computed here from ``data/``
through the package, so no number is typed into a notebook and the answer is not in plain view.

:func:`write_student_versions` (``city-innovation teaching --out DIR``) writes the student
versions with nbconvert preprocessors: each solution is replaced by a placeholder cell
(``# your code here`` plus ``name = ...`` for every name a check cell reads, or "Your answer
here" for a written answer) and all outputs are cleared.
"""

from __future__ import annotations

import ast
import math
import numbers
import os
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import ClearOutputPreprocessor, Preprocessor, TagRemovePreprocessor
from traitlets import Unicode

from . import data, files, plots
from .analysis import themes
from .errors import ParameterError
from .paths import NOTEBOOKS_DIR
from .store.flags import on_field
from .store.models import Profile, Region

EXERCISE, SOLUTION, CHECK, ANSWER = "exercise", "solution", "check", "answer"
TEACHING_DIR = NOTEBOOKS_DIR / "teaching"
CODE_PLACEHOLDER = "# your code here"
MARKDOWN_PLACEHOLDER = "*Your answer here.* (Double-click this cell to write.)"
CORRECT = "✔ correct"
NOT_YET = "✘ not yet"

# --- check helpers (run by students) ---------------------------------------------------------


def check_equal(name: str, got: Any, expected: Any, hint: str, *, tol: float = 1e-9,
                ordered: bool = True, column_order: bool = False) -> None:
    """Print whether ``got`` equals ``expected`` (``✔ correct`` or ``✘ not yet``); never raises.

    Numbers are compared within ``tol``; tables (DataFrames) on the expected columns only,
    ignoring the index and dtypes, and in any row order when ``ordered`` is False; with
    ``column_order`` a table must have exactly the expected columns in the expected order (for
    exercises that ask for one); sets as sets; Series as mappings of index to value.
    """
    try:
        if column_order and isinstance(expected, pd.DataFrame) and \
                isinstance(got, pd.DataFrame) and list(got.columns) != list(expected.columns):
            problem = (f"the columns should be, in this order: "
                       f"{', '.join(map(repr, expected.columns))}")
        else:
            problem = _difference(got, expected, tol, ordered)
    except Exception as exc:  # a check must never stop the notebook
        problem = f"the answer could not be compared ({type(exc).__name__}: {exc})"
    _report(name, problem, hint)


def check_function(name: str, func: Any, cases: Sequence[tuple[Any, ...]],
                   expected: Sequence[Any], hint: str, *, tol: float = 1e-9) -> None:
    """Print whether ``func(*case)`` gives the expected value for every case; never raises."""
    problem = None
    if func is Ellipsis:
        problem = "replace the `...` with your function and run that cell"
    elif not callable(func):
        problem = f"expected a function (def {name}(...): ...), got {_kind(func)}"
    for case, want in zip(cases, expected, strict=True):
        if problem is not None:
            break
        args = ", ".join(map(_show, case))
        try:
            got = func(*case)
        except Exception as exc:
            problem = f"{name}({args}) failed with {type(exc).__name__}: {exc}"
            break
        if _difference(got, want, tol, True) is not None:
            problem = f"{name}({args}) gave {_show(got)}, expected {_show(want)}"
    _report(name, problem, hint)


def check_figure(name: str, fig: Any, hint: str, *, highlighted: int | None = None,
                 colour: str = plots.HIGHLIGHT) -> None:
    """Print whether ``fig`` is a figure with a title and axis labels and, when ``highlighted``
    is given, a bar chart with that many bars in ``colour``."""
    try:
        problem = _figure_difference(fig, highlighted, colour)
    except Exception as exc:
        problem = f"the figure could not be inspected ({type(exc).__name__}: {exc})"
    _report(name, problem, hint)


def _report(name: str, problem: str | None, hint: str) -> None:
    message = f"{CORRECT}: {name}" if problem is None else \
        f"{NOT_YET}: {name}: {problem}. Hint: {hint}"
    # One write, message and newline together, so the notebook's stream output is never split.
    sys.stdout.write(message + "\n")


def _show(value: Any) -> str:
    """repr() with sets in sorted order, so that messages do not change between runs."""
    if isinstance(value, set | frozenset) and value:
        return "{" + ", ".join(sorted(map(repr, value))) + "}"
    return repr(value)


def _kind(value: Any) -> str:
    return "`...` (not answered yet)" if value is Ellipsis else type(value).__name__


def _difference(got: Any, expected: Any, tol: float, ordered: bool) -> str | None:
    """What differs between an answer and the expected value, or None when they agree."""
    if got is Ellipsis:
        return "replace the `...` with your answer and run that cell"
    if isinstance(expected, pd.DataFrame):
        return _frame_difference(got, expected, tol, ordered)
    if isinstance(expected, pd.Series):
        if not isinstance(got, pd.Series | Mapping):
            return f"expected a Series (or dict), got {_kind(got)}"
        return _difference(dict(got), dict(expected), tol, ordered)
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping | pd.Series):
            return f"expected a dict, got {_kind(got)}"
        got = dict(got)
        if set(got) != set(expected):
            return _set_difference(set(got), set(expected), "key")
        for key, value in expected.items():
            if _difference(got[key], value, tol, ordered) is not None:
                return f"the value for {key!r} is not right"
        return None
    if isinstance(expected, set | frozenset):
        if isinstance(got, str) or not isinstance(got, Iterable):
            return f"expected a set of values, got {_kind(got)}"
        return _set_difference(set(got), set(expected), "value")
    if isinstance(expected, list | tuple):
        if isinstance(got, str) or not isinstance(got, Sequence | pd.Series | np.ndarray):
            return f"expected a list, got {_kind(got)}"
        got = list(got)
        if len(got) != len(expected):
            return f"expected {len(expected)} items, got {len(got)}"
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            if _difference(a, b, tol, ordered) is not None:
                return f"item {i} ({_show(a)}) is not right"
        return None
    if isinstance(expected, bool | np.bool_):
        if not isinstance(got, bool | np.bool_):
            return f"expected True or False, got {_kind(got)}"
        return None if bool(got) == bool(expected) else "not the right truth value"
    if isinstance(expected, numbers.Real):
        if isinstance(got, bool) or not isinstance(got, numbers.Real):
            return f"expected a number, got {_kind(got)}"
        return None if math.isclose(float(got), float(expected), rel_tol=0, abs_tol=tol) \
            else f"{got!r} is not the expected number"
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"expected a text (str), got {_kind(got)}"
        return None if got.strip() == expected else f"{got!r} is not the expected text"
    return None if got == expected else f"{_show(got)} is not the expected value"


def _set_difference(got: set[Any], expected: set[Any], what: str) -> str | None:
    extra, missing = got - expected, expected - got
    if not extra and not missing:
        return None
    parts = []
    if missing:
        parts.append(f"{len(missing)} {what}(s) missing")
    if extra:
        parts.append(f"{len(extra)} {what}(s) that should not be there "
                     f"({', '.join(sorted(map(repr, extra)))})")
    return " and ".join(parts)


def _scalar(x: Any) -> Any:
    """A cell value with every kind of missing value as None, for comparisons."""
    if isinstance(x, list | tuple | np.ndarray):
        return tuple(x)
    return None if pd.isna(x) else x


def _frame_difference(got: Any, expected: pd.DataFrame, tol: float, ordered: bool) -> str | None:
    if not isinstance(got, pd.DataFrame):
        return f"expected a table (DataFrame), got {_kind(got)}"
    missing = [c for c in expected.columns if c not in got.columns]
    if missing:
        return f"missing column(s): {', '.join(map(repr, missing))}"
    if len(got) != len(expected):
        return f"expected {len(expected)} rows, got {len(got)}"
    a = got[list(expected.columns)].reset_index(drop=True)
    b = expected.reset_index(drop=True)
    if not ordered:
        a, b = (f.iloc[sorted(range(len(f)), key=lambda i, f=f: [str(_scalar(v))
                                                               for v in f.iloc[i]])]
                .reset_index(drop=True) for f in (a, b))
    for col in b.columns:
        if pd.api.types.is_numeric_dtype(b[col]) and not pd.api.types.is_bool_dtype(b[col]):
            try:
                x = pd.to_numeric(a[col]).astype("float64").to_numpy()
            except (TypeError, ValueError):
                return f"column {col!r} should hold numbers"
            y = b[col].astype("float64").to_numpy()
            same = np.isclose(x, y, rtol=0, atol=tol, equal_nan=True).all()
        else:
            same = [_scalar(v) for v in a[col]] == [_scalar(v) for v in b[col]]
        if not same:
            order = " (check the row order too)" if ordered else ""
            return f"column {col!r} does not hold the expected values{order}"
    return None


def _figure_difference(fig: Any, highlighted: int | None, colour: str) -> str | None:
    if fig is Ellipsis:
        return "replace the `...` with your chart and run that cell"
    if not isinstance(fig, Figure):
        return f"expected a matplotlib Figure (from `fig, ax = plt.subplots()`), got {_kind(fig)}"
    if not fig.axes:
        return "the figure has no axes"
    ax = fig.axes[0]
    title = ax.get_title("left") or ax.get_title() or ax.get_title("right") or \
        (fig._suptitle.get_text() if fig._suptitle else "")
    missing = [what for what, text in (("a title", title), ("an x-axis label", ax.get_xlabel()),
                                       ("a y-axis label", ax.get_ylabel())) if not text]
    if missing:
        return "the chart needs " + " and ".join(missing)
    if highlighted is None:
        return None
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    if not bars:
        return "the figure has no bars"
    target = np.array(to_rgb(colour))
    n = sum(np.allclose(to_rgb(p.get_facecolor()), target, atol=0.01) for p in bars)
    if n != highlighted:
        return f"{n} bar(s) drawn in the highlight colour, expected {highlighted}"
    return None


# --- student versions --------------------------------------------------------------------------


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _assigned(source: str) -> list[str]:
    """Names assigned (or defined) at the top level of a code cell, in order of first use."""
    tree = _parse(source)
    names: list[str] = []
    for node in tree.body if tree else []:
        targets: list[ast.expr] = []
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name not in names:
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def _read_names(sources: Iterable[str]) -> set[str]:
    """Every name read (loaded) in some cells."""
    out: set[str] = set()
    for source in sources:
        tree = _parse(source)
        if tree:
            out |= {n.id for n in ast.walk(tree)
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return out


class SolutionPlaceholders(Preprocessor):
    """Insert a placeholder cell before each solution cell (which a later step removes).

    A code placeholder reads ``# your code here`` followed by ``name = ...`` for every name the
    solution assigns and a check cell reads, so an unanswered check reports "not yet" instead of
    failing with a NameError. A markdown placeholder invites a written answer.
    """

    solution_tag = Unicode(SOLUTION, help="tag of the cells to replace").tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        checked = _read_names(c.source for c in nb.cells
                              if c.cell_type == "code" and CHECK in _tags(c))
        cells = []
        for index, cell in enumerate(nb.cells):
            if self.solution_tag in _tags(cell):
                cells.append(self._placeholder(cell, checked, index))
            cells.append(cell)
        nb.cells = cells
        return nb, resources

    @staticmethod
    def _placeholder(cell: Any, checked: set[str], index: int) -> Any:
        if cell.cell_type == "code":
            stubs = [f"{name} = ..." for name in _assigned(cell.source) if name in checked]
            new = nbformat.v4.new_code_cell("\n".join([CODE_PLACEHOLDER, *stubs]))
        else:
            new = nbformat.v4.new_markdown_cell(MARKDOWN_PLACEHOLDER)
        new.metadata["tags"] = [ANSWER]
        new["id"] = f"{cell.get('id') or f'cell-{index}'}-answer"[-64:]
        return new


def student_exporter() -> NotebookExporter:
    """An nbconvert exporter that turns a teacher notebook into its student version."""
    exporter = NotebookExporter()
    exporter.register_preprocessor(SolutionPlaceholders(), enabled=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={SOLUTION}),
                                   enabled=True)
    exporter.register_preprocessor(ClearOutputPreprocessor(), enabled=True)
    return exporter


def student_version(nb: Any) -> str:
    """The student version of a teacher notebook, as notebook JSON text."""
    body, _ = student_exporter().from_notebook_node(nb)
    return body


HANDOUT_README = """\
# Exercise notebooks

Open each notebook in JupyterLab with the kernel "Python (city-innovation)" and work from the top:

1. Read the learning goals and run the set-up cells.
2. Each exercise says which name to define. Write your code in the cell marked
   `# your code here` (replace the `...`), or your answer in the cell that says
   "Your answer here".
3. Run the check cell under it: `✔ correct` means you are done; `✘ not yet` says what is still
   different and gives a hint. Change your answer and run both cells again.

Every number comes from the project's `data/` folder through the `city_innovation` package.
"""


#: A file that marks a folder as written by this command (so --force may replace it).
HANDOUT_MARKER = ".city-innovation-handout"


def teaching_notebooks() -> list[Path]:
    """The teacher versions shipped in ``notebooks/teaching/``, in order."""
    return sorted(TEACHING_DIR.glob("*.ipynb"))


def write_student_versions(out: str | os.PathLike[str],
                           notebooks: Sequence[str | os.PathLike[str]] | None = None, *,
                           force: bool = False) -> list[Path]:
    """Write the student versions of ``notebooks`` (default: all) into the new folder ``out``.

    The folder is built under a temporary name beside ``out`` and moved into place when
    complete; an existing ``out`` is replaced only with ``force``.
    """
    sources = [Path(p) for p in notebooks] if notebooks else teaching_notebooks()
    for src in sources:
        if src.suffix != ".ipynb" or not src.is_file():
            raise ParameterError(f"notebook {src}: not found (allowed: .ipynb files, e.g. "
                                 f"those in notebooks/teaching/)")
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise ParameterError(f"--out {out}: exists and is not a folder")
    for src in sources:
        if src.resolve().is_relative_to(target.resolve()):
            raise ParameterError(f"--out {out}: holds the teacher notebook {src.name}; choose "
                                 "another folder for the student versions")
    if target.exists() and not force:
        raise ParameterError(f"--out {out}: already exists (use --force to replace it)")
    if target.exists() and any(target.iterdir()) and not (target / HANDOUT_MARKER).is_file():
        raise ParameterError(f"--out {out}: exists and was not written by `city-innovation "
                             "teaching`, so it is not replaced even with --force (choose a new "
                             "folder)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = files.staging_dir(target.parent, f".{target.name}.tmp-")
    try:
        for src in sources:
            try:
                nb = nbformat.read(src, as_version=4)
            except Exception as exc:  # nbformat raises several kinds for a file that is no notebook
                raise ParameterError(f"notebook {src}: not a readable notebook "
                                     f"({type(exc).__name__})") from None
            (tmp / src.name).write_text(student_version(nb), encoding="utf-8")
        (tmp / "README.md").write_text(HANDOUT_README, encoding="utf-8")
        (tmp / HANDOUT_MARKER).write_text("student versions written by city-innovation teaching\n",
                                          encoding="utf-8")
        if target.exists():
            old = files.staging_dir(target.parent, f".{target.name}.old-")
            target.rename(old / target.name)
            tmp.rename(target)
            shutil.rmtree(old)
        else:
            tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return [target / src.name for src in sources]


# --- expected answers: 1_profile_to_tidy_data ------------------------------------------------


def role_counts(p: Profile) -> tuple[int, int]:
    """(stated, listed) number of innovation roles of a profile."""
    roles = data.roles(p)
    return int(roles["stated_count"].iloc[0]), int(roles["listed_count"].iloc[0])


def roles_table(p: Profile) -> pd.DataFrame:
    """The tidy roles table students build from the raw YAML."""
    return data.roles(p)[["role", "position", "stated_count", "source", "locator"]]


def flag_on(p: Profile, field: str) -> str:
    """Id of the (single) flag recorded on ``field``."""
    return str(on_field(data.flags(p), field, below=False)["flag_id"].item())


def printed_funding_items(p: Profile) -> list[str]:
    """The items of the garbled "activities being funded" list, as printed."""
    raw = next(f.raw for f in p.flags if f.field == "funded_activities" and f.raw)
    return [item.strip() for item in raw.split("/")]


def counted_pairs(p: Profile) -> pd.DataFrame:
    """Every (activity, count) pair printed, in printed order (aligned or not)."""
    fa = data.funded_activities(p)
    return fa[fa["cities"].notna()].sort_values("position")[["activity", "cities"]]


def repeated_activity(p: Profile) -> str:
    """The activity printed with more than one count."""
    counts = counted_pairs(p)["activity"].value_counts()
    return str(counts[counts > 1].index.item())


def chartable_counts(p: Profile) -> pd.DataFrame:
    """The aligned pairs with a count, largest first: what a chart may show."""
    fa = data.funded_activities(p)
    keep = fa[fa["aligned"] & fa["cities"].notna()]
    return keep.sort_values("cities", ascending=False)[["activity", "cities"]]


def flag_counts(p: Profile) -> pd.Series:
    """Number of flags by kind of problem."""
    return data.flags(p)["problem"].value_counts()


def flagged_sections(p: Profile) -> set[str]:
    """Top-level profile sections with at least one flag.

    A flag's field may name several paths separated by ", "; each path counts. A section can be
    flagged without being stored (``innovation_website``: the page shows the label only).
    """
    return {path.split(".")[0] for field in data.flags(p)["field"]
            for path in field.split(", ")}


# --- expected answers: 2_benchmarking_a_city --------------------------------------------------


def quoted_share_rounds(p: Profile, bench: pd.DataFrame, answer: str, question: str) -> set[str]:
    """Survey rounds of the ``question`` rows giving the share the profile quotes for ``answer``."""
    strategy = data.strategy(p).set_index("question")
    quoted = strategy.loc[answer, "survey_value"]
    rows = bench[(bench["question"] == question) & (bench["value"] == quoted)]
    return set(rows["survey_round"])


def respondents(bench: pd.DataFrame, survey_round: str) -> int:
    """Number of cities responding in a survey round (every source giving a number agrees)."""
    rows = data.respondent_rows(bench)
    return int(rows.loc[rows["survey_round"] == survey_round, "value"].unique().item())


def count_percent_pairs(bench: pd.DataFrame, source: str) -> pd.DataFrame:
    """2018 questions for which ``source`` prints a percentage and a count of cities side by side,
    with the share the count gives of all respondents and the base the percentage implies."""
    rows = bench[(bench["survey_round"] == "2018") & (bench["source"] == source)]
    by_unit = {unit: rows[rows["unit"] == unit].set_index("question")["value"]
               for unit in ("percent", "cities")}
    both = by_unit["percent"].index.intersection(by_unit["cities"].index)
    out = pd.DataFrame({"question": both, "percent": by_unit["percent"][both].to_numpy(),
                        "cities": by_unit["cities"][both].to_numpy()})
    out["share_of_respondents"] = (out["cities"] / respondents(bench, "2018") * 100).round(1)
    out["implied_base"] = (out["cities"] / out["percent"] * 100).round(1)
    return out


def percent_rows_without_base(bench: pd.DataFrame) -> int:
    """Number of survey shares of cities given as a number but without their base n.

    Rows that give a share in words only (no value) and the ``well-being`` rows (shares of
    residents, to which a base of cities does not apply) are not counted.
    """
    pct = bench[(bench["unit"] == "percent") & bench["value"].notna()
                & (bench["component"] != "well-being")]
    return int(pct["base_n"].isna().sum())


def share_in_cities(bench: pd.DataFrame, question: str) -> pd.DataFrame:
    """Each share of ``question`` as a number of cities: its own base n when stated, else all
    respondents of its round."""
    rows = bench[(bench["question"] == question) & bench["value"].notna()]
    every = {r: respondents(bench, r) for r in rows["survey_round"].unique()}
    base = rows["base_n"].astype("Float64").fillna(rows["survey_round"].map(every))
    out = rows[["item", "survey_round", "value"]].assign(base=base.astype("float64"))
    out["cities"] = (out["value"] / 100 * out["base"]).round(1)
    return out


def counted_activities(p: Profile) -> pd.DataFrame:
    """Funded activities that a chart may show: aligned and with a count, in printed order."""
    fa = data.funded_activities(p)
    return fa[fa["aligned"] & fa["cities"].notna()]


def shares_under_bases(p: Profile, bench: pd.DataFrame) -> pd.DataFrame:
    """The counted activities as shares of the 2018 respondents and of both rounds' respondents."""
    out = counted_activities(p)[["activity", "cities", "city_funds"]].copy()
    for name, rnd in (("share_if_2018", "2018"), ("share_if_both", "2018+2020")):
        out[name] = (out["cities"].astype("float64") / respondents(bench, rnd) * 100).round(1)
    return out


def highlighted_bars(p: Profile) -> int:
    """Bars a chart of the counted activities draws in the highlight colour (the city's own)."""
    return int(counted_activities(p)["city_funds"].sum())


def not_known_to_be_round_only(p: Profile) -> set[str]:
    """Counted activities not known to be asked in one survey round only.

    This does not make them comparable across rounds: the counts' round and base are unknown.
    """
    one_round = {o.option for o in p.funding_use.round_only_options} if p.funding_use else set()
    return set(counted_activities(p)["activity"]) - one_round


# --- expected answers: 3_tracing_strategy_themes ----------------------------------------------


def themes_per_period(r: Region) -> pd.Series:
    """Number of themes of each period, indexed by period."""
    return data.periods(r).set_index("period")["n_themes"]


def shared_years(r: Region) -> set[int]:
    """Years that fall in more than one strategy period."""
    years = pd.Series([y for p in data.periods(r).itertuples()
                       for y in range(p.start, p.end + 1)])
    counts = years.value_counts()
    return {int(y) for y in counts[counts > 1].index}


def untraced_themes(r: Region, period: str) -> set[str]:
    """Themes of ``period`` with no documented link to a theme of the next period."""
    table = data.themes(r)
    linked = set(data.lineage(r)["from_id"])
    here = table[table["period"] == period]
    return set(here.loc[~here["theme_id"].isin(linked), "theme"])


def focus_set(terms: Iterable[str]) -> set[str]:
    """A theme's focus areas as a set of lower-case terms."""
    return {t.strip().lower() for t in terms}


def jaccard_cases(r: Region) -> tuple[list[tuple[set[str], set[str]]], list[float]]:
    """Cases for the student's jaccard(): a set with itself, documented pairs, and two empties."""
    focus = {t.theme_id: focus_set(t.focus_areas) for t in data.themes(r).itertuples()}
    first = next(iter(focus.values()))
    cases = [(first, first)] + [(focus[e.from_id], focus[e.to_id])
                                for e in data.lineage(r).itertuples()] + [(set(), set())]
    return cases, [themes.jaccard(a, b) for a, b in cases]


def jaccard_scores(r: Region) -> pd.DataFrame:
    """Jaccard similarity of the focus areas of every theme to every theme of the next period."""
    table = data.themes(r)
    ids = [str(p) for p in table["period"].cat.categories]
    rows = [{"from_period": a, "to_period": b, "from_id": x.theme_id, "to_id": y.theme_id,
             "from_theme": x.theme, "to_theme": y.theme,
             "jaccard": themes.jaccard(focus_set(x.focus_areas), focus_set(y.focus_areas))}
            for a, b in zip(ids[:-1], ids[1:], strict=True)
            for x in table[table["period"] == a].itertuples()
            for y in table[table["period"] == b].itertuples()]
    return pd.DataFrame(rows)


def link_agreement(r: Region, threshold: float) -> pd.DataFrame:
    """Documented links and Jaccard links at ``threshold``, each marked agree / documented only /
    inferred only."""
    scores = jaccard_scores(r)
    inferred = scores.loc[scores["jaccard"] >= threshold, ["from_id", "to_id"]]
    documented = data.lineage(r)[["from_id", "to_id"]]
    both = documented.merge(inferred, how="outer", indicator=True)
    labels = {"both": "agree", "left_only": "documented only", "right_only": "inferred only"}
    both["status"] = both.pop("_merge").map(labels).astype(str)
    return both


def threshold_sensitivity(r: Region) -> pd.DataFrame:
    """For each distinct positive score as threshold: links inferred, and documented among them."""
    scores = jaccard_scores(r)
    documented = set(zip(data.lineage(r)["from_id"], data.lineage(r)["to_id"], strict=True))
    rows = []
    for t in sorted(scores.loc[scores["jaccard"] > 0, "jaccard"].unique()):
        kept = scores[scores["jaccard"] >= t]
        pairs = set(zip(kept["from_id"], kept["to_id"], strict=True))
        rows.append({"threshold": t, "n_links": len(pairs),
                     "n_documented": len(pairs & documented)})
    return pd.DataFrame(rows)


def method_summary(r: Region, threshold: float) -> pd.DataFrame:
    """Per similarity method of the package: links that agree with the documented ones, are
    documented only, or inferred only, at ``threshold``."""
    table = themes.select_periods(data.themes(r), None)
    documented = themes.documented_links(data.lineage(r), table)
    rows = []
    for method in themes.METHODS:
        status = themes.compare_links(documented, themes.similarity(table, method),
                                      threshold)["status"]
        rows.append({"method": method, **{s: int((status == s).sum()) for s in themes.STATUSES}})
    return pd.DataFrame(rows)
