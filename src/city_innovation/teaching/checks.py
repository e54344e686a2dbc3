"""Check helpers that students run in the exercise notebooks' ``check`` cells.

Each helper compares a student's answer with the expected one and prints ``✔ correct`` or
``✘ not yet: <what differs>. Hint: ...``. None of them raises, so a student who has not answered
yet sees a message instead of a traceback and the kernel keeps running.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import plots

CORRECT = "✔ correct"
NOT_YET = "✘ not yet"


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

