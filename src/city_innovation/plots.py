"""One seaborn theme and the figure functions of the notebooks.

Every figure function takes tidy DataFrames, draws one figure, and returns its
:class:`matplotlib.figure.Figure`, so notebooks, tests and reports use the same code. Colours come
from the Okabe-Ito palette (colour-blind safe); the profiled city is highlighted against the survey.
"""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .errors import ParameterError

#: Okabe-Ito colours, in order; the first is the default highlight.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000"]
HIGHLIGHT = PALETTE[0]
CONTEXT = "#9A9A9A"  # grey for the survey / context the city is compared with


def use_theme() -> None:
    """Set the project's plotting theme (idempotent) and silence known third-party noise."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=1.0)
    plt.rcParams.update({
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "figure.autolayout": False,
        "svg.hashsalt": "city-innovation",
    })
    # seaborn 0.13.2 passes `vert` to matplotlib box plots (deprecated in matplotlib 3.10+).
    warnings.filterwarnings("ignore", message=r".*vert: bool.*", category=PendingDeprecationWarning)
    warnings.filterwarnings("ignore", message=r".*vert.*deprecated.*")


def add_note(fig: Figure, text: str) -> None:
    """Write a source or data-quality note under a figure, wrapped to its width."""
    fig.text(0.01, -0.02, text, ha="left", va="top", fontsize=8.5, color="#444444", wrap=True)


def save(fig: Figure, output_dir: str | Path | None, name: str) -> Path | None:
    """Save ``fig`` as ``<output_dir>/<name>.png`` when an output folder is given."""
    if output_dir is None:
        return None
    folder = Path(output_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"parameter output_dir: cannot create {folder} ({exc.strerror})") \
            from None
    path = folder / f"{name}.png"
    tmp = path.with_suffix(".png.tmp")
    fig.savefig(tmp, format="png")
    tmp.replace(path)
    return path


# --- profile figures ---

_INK = "#222222"
_MUTED = "#6B6B6B"


def _wrap(text: object, width: int = 36) -> str:
    return textwrap.fill(str(text), width, break_on_hyphens=False)


def _base(base_n: object) -> str:
    return "base not stated" if base_n is None or pd.isna(base_n) else f"n = {int(base_n)}"


def _dot(colour: str, label: str, hollow: bool = False, marker: str = "o") -> Line2D:
    return Line2D([], [], marker=marker, linestyle="", markersize=8, label=label,
                  markerfacecolor="white" if hollow else colour, markeredgecolor=colour)


def _finish(fig: Figure, ax: Axes, handles: list[Line2D], note: str | None,
            below: float = 4.6) -> Figure:
    """Legend under ``ax`` (``below`` font sizes under its bottom edge), then the note."""
    # An axes legend, not fig.legend(loc="outside ..."): the latter moves onto the note when
    # the figure is saved with bbox_inches="tight".
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0),
                  ncols=len(handles), frameon=False, fontsize=9, borderaxespad=below)
    if note:
        add_note(fig, note)
    return fig


def _no_figures(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=_MUTED)
    ax.set_yticks([])


def strategy_chart(shares: pd.DataFrame, *, city: str, highlight: str = HIGHLIGHT,
                   note: str | None = None) -> Figure:
    """Survey-wide shares of each strategy item, the items describing the city's answer highlighted.

    ``shares`` is ``profile.strategy_shares``: one row per item with ``question``,
    ``city_answer``, ``item``, ``survey_round``, ``value`` (percent, may be missing),
    ``wording``, ``base_n`` and ``matches_city``. Shares given only in words are written as
    text, never drawn as numbers.
    """
    questions = list(dict.fromkeys(shares["question"])) or [None]
    sizes = [max(int((shares["question"] == q).sum()), 1) for q in questions]
    fig, axes = plt.subplots(len(questions), 1, sharex=True, squeeze=False,
                             figsize=(9.5, 1.6 + 0.62 * sum(sizes) + 0.5 * len(questions)),
                             height_ratios=sizes, layout="constrained")
    for ax, q in zip(axes[:, 0], questions, strict=True):
        rows = shares[shares["question"] == q].reset_index(drop=True)
        if rows.empty:
            _no_figures(ax, "No survey-wide strategy figures for the rounds shown")
            continue
        answer = rows["city_answer"].iloc[0]
        ax.set_title(_wrap(f"{str(q).capitalize()}: {city} answers \u201c{answer}\u201d", 80),
                     fontsize=11)
        for y, r in rows.iterrows():
            colour = highlight if r["matches_city"] else CONTEXT
            if pd.isna(r["value"]):
                ax.text(1, y, f"\u201c{r['wording']}\u201d (given in words only)", va="center",
                        style="italic", fontsize=9, color=colour if r["matches_city"] else _INK)
            else:
                ax.barh(y, r["value"], color=colour, height=0.6)
                ax.text(r["value"] + 1, y, f"{r['value']:g}%", va="center", fontsize=9,
                        color=_INK)
        ax.set_yticks(range(len(rows)),
                      [f"{_wrap(r['item'])}\n{r['survey_round']} \u00b7 {_base(r['base_n'])}"
                       for _, r in rows.iterrows()], fontsize=9)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
    last = axes[-1, 0]
    last.set_xlim(0, 100)
    last.set_xlabel("Share of cities surveyed (%)")
    fig.suptitle(f"Strategy and approach: {city} beside the survey", x=0.01, ha="left",
                 fontweight="bold")
    return _finish(fig, last, [_dot(highlight, f"describes {city}'s answer", marker="s"),
                               _dot(CONTEXT, "other answers", marker="s")], note)


def _share_lollipop(shares: pd.DataFrame, *, city: str, highlight: str, note: str | None,
                    title: str, xlabel: str, what: str) -> Figure:
    """Survey shares as dots on stems; the city's matching items highlighted, its others listed.

    Rows are spaced by the number of lines of their labels, so long labels never overlap.
    """
    labels, texts = [], []
    for _, r in shares.iterrows():
        status = f", data status {r['city_status']}" if pd.notna(r["city_status"]) else ""
        if r["status"] == "city only":
            labels.append(f"{_wrap(r['label'], 40)}\n({city} only)")
            texts.append(f"listed by {city}{status}; no survey figure in the rounds shown")
            continue
        label = f"{_wrap(r['label'], 40)}\n{r['survey_round']} \u00b7 {_base(r['base_n'])}"
        if r["status"] == "matched":
            label += "\n" + _wrap(f"{city}: {r['city_label']}{status}", 40)
        labels.append(label)
        texts.append(f"{r['value']:g}%")
    heights = [max(label.count("\n") + 1, 2) for label in labels]
    ys = [sum(heights[:i]) + h / 2 for i, h in enumerate(heights)]
    fig, ax = plt.subplots(figsize=(9.5, 1.9 + 0.2 * max(sum(heights), 2)), layout="constrained")
    for y, text, (_, r) in zip(ys, texts, shares.iterrows(), strict=True):
        if r["status"] == "city only":
            ax.text(1, y, text, va="center", style="italic", fontsize=9, color=_INK)
            continue
        colour = highlight if r["status"] == "matched" else CONTEXT
        ax.hlines(y, 0, r["value"], color=colour, linewidth=2)
        ax.plot(r["value"], y, "o", color=colour, markersize=9)
        ax.text(r["value"] + 2, y, text, va="center", fontsize=9, color=_INK)
    if shares.empty:
        _no_figures(ax, f"No survey-wide figures and no {what}s of {city}")
    else:
        ax.set_yticks(ys, labels, fontsize=9)
        ax.set_ylim(sum(heights), 0)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, 105)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(xlabel)
    if not (shares["status"] != "city only").any():
        title += " (no survey-wide figures in the rounds shown)"
    ax.set_title(_wrap(title, 75))
    present = set(shares["status"])
    handles = [h for s, h in (("matched", _dot(highlight, f"{city} lists a matching {what}")),
                              ("survey only", _dot(CONTEXT, f"{city} lists no matching {what}")))
               if s in present]
    return _finish(fig, ax, handles, note)


def role_shares_chart(shares: pd.DataFrame, *, city: str, highlight: str = HIGHLIGHT,
                      note: str | None = None) -> Figure:
    """Share of cities with each innovation role, the roles the city lists highlighted.

    ``shares`` is ``profile.role_shares`` (``label``, ``survey_round``, ``value``, ``base_n``,
    ``city_label``, ``status``); roles the city lists without a survey figure get their own row.
    """
    return _share_lollipop(shares, city=city, highlight=highlight, note=note,
                           title=f"Innovation roles: share of cities surveyed with each role, "
                                 f"{city}'s roles highlighted",
                           xlabel="Cities surveyed with the role (%)", what="role")


def availability_chart(shares: pd.DataFrame, *, city: str, highlight: str = HIGHLIGHT,
                       note: str | None = None) -> Figure:
    """Share of cities with data in each policy area, the city's areas highlighted.

    ``shares`` is ``profile.availability_shares`` (same columns as for the roles chart).
    """
    return _share_lollipop(shares, city=city, highlight=highlight, note=note,
                           title=f"Data availability by policy area: share of cities surveyed, "
                                 f"{city}'s areas highlighted",
                           xlabel="Cities surveyed with data in the area (%)", what="area")


def activities_chart(links: pd.DataFrame, *, city: str, highlight: str = HIGHLIGHT,
                     note: str | None = None) -> Figure:
    """The city's own activities (left) joined to the numbered options (right) they match.

    ``links`` is ``profile.activity_links``: ``rank``, ``option``, ``city_activity`` and
    ``own_position`` (empty where the city does not list the option as its own).
    """
    n = max(len(links), 1)
    fig, ax = plt.subplots(figsize=(11, 1.8 + 0.62 * n), layout="constrained")
    ax.axis("off")
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.4, -1.2)
    own = links.dropna(subset=["city_activity"]).sort_values("own_position")
    m = len(own)
    left = {r: (k * (n - 1) / (m - 1) if m > 1 else (n - 1) / 2)
            for k, r in enumerate(own["rank"])}
    for y, r in links.reset_index(drop=True).iterrows():
        mine = r["rank"] in left
        ax.plot(0.64, y, "o", markersize=9, markeredgecolor=highlight if mine else CONTEXT,
                markerfacecolor=highlight if mine else "white")
        ax.text(0.67, y, _wrap(f"{r['rank']}. {r['option']}", 42), va="center", fontsize=10,
                color=_INK if mine else _MUTED)
        if mine:
            yl = left[r["rank"]]
            ax.plot([0.36, 0.64], [yl, y], color=highlight, linewidth=2)
            ax.plot(0.36, yl, "o", markersize=9, color=highlight)
            ax.text(0.33, yl, _wrap(r["city_activity"], 40), va="center", ha="right",
                    fontsize=10, color=_INK)
    if m == 0:
        ax.text(0.33, (n - 1) / 2, f"{city} lists no activities of its own", ha="right",
                va="center", color=_MUTED)
    ax.text(0.33, -0.9, f"{city}'s own activities\n(its wording)", ha="right", va="center",
            fontsize=10, fontweight="bold")
    ax.text(0.67, -0.9, f"The {len(links)} numbered options\n(as printed on the profile)",
            ha="left", va="center", fontsize=10, fontweight="bold")
    ax.set_title(_wrap(f"Innovation activities: {city}'s own list and the numbered options "
                       "it matches", 90))
    return _finish(fig, ax, [_dot(highlight, f"option matched by one of {city}'s activities"),
                             _dot(CONTEXT, "option not among them", hollow=True)], note,
                   below=0.5)


#: Okabe-Ito colour names accepted as a highlight colour (only those that are not also
#: matplotlib names for a different colour).
OKABE_ITO_NAMES: dict[str, str] = {
    "vermillion": PALETTE[0],
    "bluish green": PALETTE[2],
    "sky blue": PALETTE[4],
    "reddish purple": PALETTE[5],
}
