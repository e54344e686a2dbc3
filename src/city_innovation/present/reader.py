"""Tables as a reader sees them, and which cells a reader's page leaves out.

:func:`setup` (called by :func:`plots.use_theme`, which every notebook calls while setting up)
registers an HTML formatter for pandas tables in the running IPython kernel: no bare 0, 1, 2
index, missing values as a dash, column names in words, numbers formatted. The plain-text form of
each output is untouched, so an executed ``.ipynb`` stays complete.

:func:`reader_cells` is the convention that keeps set-up and parameter prose to the page with
code (see its docstring); the report's reader page is built from the cells it returns.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

#: Shown for a missing value (NaN, None, <NA>, NaT) in a reader's table.
MISSING = "\u2013"

#: Cell tag of a cell (markdown or code) shown only on the page with code.
WITH_CODE_TAG = "with-code"

#: Tags of the parameters cells (papermill's and the one it injects).
PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})

#: A paragraph of the opening cells about parameters or running the notebook with others.
_ABOUT_PARAMETERS = re.compile(r"\bparameters?\b|\bpapermill\b", re.IGNORECASE)
_SETUP_HEADING = re.compile(r"^#{1,6}\s*(set-?up|parameters)\b", re.IGNORECASE)
_SECTION = re.compile(r"^##\s", re.MULTILINE)

#: Words kept as written when column names are put in words.
_ACRONYMS = {"id": "id", "n": "n", "url": "URL", "nuts": "NUTS", "gdp": "GDP", "r&d": "R&D",
             "eu": "EU", "oecd": "OECD", "ict": "ICT", "pct": "%"}


def words(name: object) -> str:
    """A column or index name in words: ``survey_share_on_profile`` -> "Survey share on profile".

    Names that already contain a space or a capital letter are taken as written.
    """
    text = str(name)
    if " " in text or any(c.isupper() for c in text):
        return text
    parts = [_ACRONYMS.get(w, w) for w in re.split(r"[_\s]+", text.strip("_")) if w]
    out = " ".join(parts)
    return out[:1].upper() + out[1:] if out else text


def cell_text(value: Any) -> str:
    """One value as a reader's table shows it: missing as a dash, numbers formatted."""
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return MISSING
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:,.1f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value) or MISSING
    text = str(value)
    return text if text.strip() else MISSING


#: A column of years: its numbers are shown without a thousands separator.
_YEAR = re.compile(r"year", re.IGNORECASE)


def _value_text(value: Any) -> str:
    return MISSING if _is_missing_scalar(value) else cell_text(value)


def _year_text(value: Any) -> str:
    if _is_missing_scalar(value):
        return MISSING
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(value))
    return cell_text(value)


def _is_missing_scalar(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def frame_html(frame: pd.DataFrame) -> str:
    """A pandas table as HTML for readers (see the module docstring)."""
    shown = frame
    max_rows = pd.get_option("display.max_rows")
    cut = max_rows is not None and len(shown) > max_rows
    if cut:
        shown = shown.head(max_rows)
    plain_index = isinstance(shown.index, pd.RangeIndex) and shown.index.name is None
    if not plain_index:
        shown = shown.rename_axis(index=[None if n is None else words(n)
                                         for n in shown.index.names])
    styler = Styler(shown, uuid="reader", cell_ids=False).format(
        {col: _year_text if _YEAR.search(str(col)) else _value_text for col in shown.columns})
    styler = styler.format_index(lambda v: MISSING if _is_missing_scalar(v) else words(v),
                                 axis="columns")
    if plain_index:
        styler = styler.hide(axis="index")
    else:
        styler = styler.format_index(lambda v: MISSING if _is_missing_scalar(v) else str(v),
                                     axis="index")
    styler = styler.set_table_attributes('class="dataframe reader"')
    html = re.sub(r"^<style[^>]*>\s*</style>\s*", "", styler.to_html())
    if cut:
        html += (f"<p><em>First {max_rows} of {len(frame):,} rows; the notebook holds them "
                 "all.</em></p>")
    return html


def _frame_html_or_none(frame: pd.DataFrame) -> str | None:
    """The formatter IPython calls; falls back to pandas' own form for tables it cannot style."""
    try:
        return frame_html(frame)
    except (ValueError, TypeError, KeyError):
        return None


def setup() -> None:
    """Register the reader's table form in the running IPython kernel (idempotent; a no-op
    outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks
        return
    shell = get_ipython()
    if shell is None:
        return
    html = shell.display_formatter.formatters["text/html"]
    html.for_type(pd.DataFrame, _frame_html_or_none)
    html.for_type(pd.Series, lambda s: _frame_html_or_none(
        s.to_frame(s.name if s.name is not None else "value")))


def _preamble_end(cells: Sequence[Any]) -> int:
    """Index of the first numbered/titled section after the parameters cell (``## ...`` that is
    not a set-up heading): cells before it are the notebook's opening and set-up."""
    seen_parameters = False
    for i, cell in enumerate(cells):
        if PARAMETER_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            seen_parameters = True
            continue
        if (seen_parameters and cell.get("cell_type") == "markdown"
                and _SECTION.search(cell.get("source", ""))
                and not _SETUP_HEADING.match(cell.get("source", "").lstrip())):
            return i
    return len(cells)


def _without_parameter_prose(source: str) -> str:
    """A markdown cell of the opening without its paragraphs on parameters or set-up."""
    if _SETUP_HEADING.match(source.lstrip()):
        return ""
    paragraphs = re.split(r"\n\s*\n", source)
    kept = [p for p in paragraphs if not _ABOUT_PARAMETERS.search(p)]
    return "\n\n".join(kept).strip()


def reader_cells(cells: Sequence[Any]) -> list[Any]:
    """The cells of a reader's page, copies where changed; the notebook itself is untouched.

    The convention, for every notebook:

    - a cell tagged ``with-code`` is shown only on the page with code;
    - parameters cells are left out, and so are code cells without output;
    - in the opening (the cells before the first ``## `` section after the parameters cell), a
      markdown cell headed "Setup" or "Parameters" is left out, and so is every paragraph that
      speaks of parameters or papermill (how to run the notebook with other values).
    """
    end = _preamble_end(cells)
    out = []
    for i, cell in enumerate(cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if WITH_CODE_TAG in tags or PARAMETER_TAGS & tags:
            continue
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                out.append(cell)
            continue
        if cell.get("cell_type") == "markdown" and i < end:
            text = _without_parameter_prose(cell.get("source", ""))
            if not text:
                continue
            if text != cell.get("source", "").strip():
                cell = type(cell)(cell)
                cell["source"] = text
        out.append(cell)
    return out
