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
from matplotlib.patches import Patch, Rectangle

from .analysis.funding import pct
from .data import Absent
from .errors import ParameterError
from .palette import CONTEXT, HIGHLIGHT, OKABE_ITO_NAMES, PALETTE  # noqa: F401 (re-exported)
from .present import reader


def use_theme() -> None:
    """Set the project's plotting theme (idempotent) and silence known third-party noise.

    In a notebook kernel it also registers the reader's form of tables (``reader.setup``).
    """
    reader.setup()
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


def save(fig: Figure | Absent, output_dir: str | Path | None, name: str) -> Path | None:
    """Save ``fig`` as ``<output_dir>/<name>.png`` when an output folder is given.

    Where there was nothing to draw (an :class:`~.data.Absent` sentence), print the sentence.
    """
    if isinstance(fig, Absent):
        print(fig.text)
        return None
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


# --- funding figures ---

#: Colours of the region's instrument levels (the city's highlight colour is kept apart).
LEVEL_COLOURS = [PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[5]]


def dedicated_funding_bars(rows: pd.DataFrame, city: str, answer: str, note: str,
                           highlight: str = HIGHLIGHT) -> Figure:
    """The city's answer on dedicated funding above the survey-wide shares (grey bars).

    ``rows``: label, survey_round, percent, cities, base_n (as from
    ``funding.dedicated_funding``).
    """
    n = len(rows) + 1
    fig, ax = plt.subplots(figsize=(8.5, 1.2 + 0.75 * n), layout="constrained")
    labels = [f"{city} (own answer)"]
    for i, r in enumerate(rows.itertuples(), start=1):
        labels.append(f"{textwrap.fill(r.label, 34)}\n(round {r.survey_round})")
        ax.barh(i, r.percent, color=CONTEXT, height=0.6)
        text = pct(round(r.percent, 1))
        if pd.notna(r.cities):
            text += f" ({r.cities} of {r.base_n} cities)"
        ax.text(r.percent + 1.5, i, text, va="center", fontsize=9.5)
    said = {"yes": "yes: has dedicated innovation funding",
            "no": "no: has no dedicated innovation funding"}.get(answer, answer)
    ax.text(1.5, 0, said, va="center", color=highlight, fontweight="bold")
    ax.set_yticks(range(n), labels)
    ax.get_yticklabels()[0].set_color(highlight)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 125)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("cities with dedicated or specific innovation funding (% of cities surveyed)")
    ax.set_title(f"Dedicated innovation funding: {city} and the survey")
    ax.grid(axis="y", visible=False)
    add_note(fig, note)
    return fig


def funded_activity_bars(values: pd.DataFrame, measure: str, note: str, city: str,
                         highlight: str = HIGHLIGHT) -> Figure | Absent:
    """Survey-wide counts (or shares) of cities funding each activity, the city's own highlighted.

    ``values``: activity, cities, city_funds, value, sorted (as from ``funding.activity_values``).
    Without counts there is nothing to draw: the sentence saying so is returned.
    """
    if values.empty:
        return Absent(f"{city}'s profile does not give the survey's counts of activities "
                      "being funded.")
    fig, ax = plt.subplots(figsize=(8.5, 1.4 + 0.55 * max(len(values), 1)), layout="constrained")
    colours = [highlight if own else CONTEXT for own in values["city_funds"]]
    y = range(len(values))
    ax.barh(list(y), values["value"].astype(float), color=colours, height=0.6)
    top = float(values["value"].max()) if len(values) else 1.0
    top = top if top > 0 else 1.0
    for i, r in enumerate(values.itertuples()):
        text = (f"{pct(round(r.value, 1))} ({r.cities} cities)" if measure == "share"
                else f"{r.cities}")
        ax.text(r.value + top * 0.015, i, text, va="center", fontsize=9.5)
    ax.set_yticks(list(y), [textwrap.fill(a, 30) for a in values["activity"]])
    ax.set_ylim(len(values) - 0.5, -0.5)
    if measure == "share":
        ax.set_xlim(0, top * 1.3)
    else:  # counts have no base: let the axis fit the counts, so it does not read as percent
        ax.margins(x=0.08)
        ax.set_xlim(left=0)
    ax.set_xlabel("share of responding cities (%)" if measure == "share"
                  else "cities (count as printed; base not stated)")
    ax.set_title("Activities being funded, survey-wide")
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[Patch(color=highlight, label=f"also funded by {city}"),
                       Patch(color=CONTEXT, label="other activities")],
              loc="lower right", frameon=True)
    add_note(fig, note)
    return fig


def instrument_heatmap(matrix: pd.DataFrame, title: str, note: str,
                       markers: dict[tuple[str, str], str] | None = None,
                       theme_word: str = "theme") -> Figure:
    """Instrument x theme matrix: filled cells coloured by the instrument's level.

    ``matrix``: tidy, one row per (theme, instrument) with level, kind, used and n_themes, the
    categorical orders of theme, instrument and level giving the layout (as from
    ``funding.instrument_matrix``). Network kinds are hatched; ``markers`` maps (theme,
    instrument) to a letter explained in the note; the right column counts the themes that
    name each instrument.
    """
    markers = markers or {}
    if matrix.empty:
        fig, ax = plt.subplots(figsize=(8, 2), layout="constrained")
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No funding instruments are recorded for this region.",
                ha="center", va="center", transform=ax.transAxes, color="#6B6B6B")
        ax.set_title(title)
        add_note(fig, note)
        return fig
    themes = list(matrix["theme"].cat.categories)
    insts = list(matrix["instrument"].cat.categories)
    levels = list(matrix["level"].cat.categories)
    colour = dict(zip(levels, LEVEL_COLOURS, strict=False))
    info = matrix.drop_duplicates("instrument").set_index("instrument")
    fig, ax = plt.subplots(figsize=(4.5 + 1.6 * len(themes), 2.4 + 0.5 * len(insts)),
                           layout="constrained")
    for r in matrix.itertuples():
        x, y = themes.index(r.theme), insts.index(r.instrument)
        if r.used:
            ax.add_patch(Rectangle((x + 0.06, y + 0.08), 0.88, 0.84, facecolor=colour[r.level],
                                   hatch="///" if r.kind == "network" else None,
                                   edgecolor="white", linewidth=0))
            mark = markers.get((str(r.theme), str(r.instrument)))
            if mark:
                ax.text(x + 0.5, y + 0.5, f"({mark})", ha="center", va="center",
                        fontweight="bold", fontsize=10,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                              "edgecolor": "none"})
        else:
            ax.add_patch(Rectangle((x + 0.06, y + 0.08), 0.88, 0.84, facecolor="#F2F2F2",
                                   linewidth=0))
    for i, name in enumerate(insts):
        n = int(info.loc[name, "n_themes"])
        ax.text(len(themes) + 0.3, i + 0.5, str(n), ha="center", va="center",
                fontweight="bold" if n > 1 else "normal")
    ax.text(len(themes) + 0.3, -0.15, f"{theme_word}s\nnaming it", ha="center", va="bottom",
            fontsize=8.5)
    bounds = [i for i in range(1, len(insts)) if info.loc[insts[i], "level"]
              != info.loc[insts[i - 1], "level"]]
    for b in bounds:
        ax.axhline(b, color="#555555", linewidth=1)
    ax.set_xlim(0, len(themes) + 0.6)
    ax.set_ylim(len(insts), 0)
    ax.set_xticks([i + 0.5 for i in range(len(themes))],
                  [textwrap.fill(str(t), 14) for t in themes])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(theme_word)
    ax.set_ylabel("instrument")
    ax.set_yticks([i + 0.5 for i in range(len(insts))],
                  [textwrap.fill(n + (" (network)" if info.loc[n, "kind"] == "network" else ""),
                                 34) for n in insts])
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title, pad=12)
    present = [lv for lv in levels if lv in set(matrix.loc[matrix["used"], "level"])]
    handles = [Patch(facecolor=colour[lv], label=f"{lv} level") for lv in present]
    if (matrix["kind"] == "network").any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="///",
                             label="network, not funding"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=max(len(handles), 1), frameon=False, fontsize=9.5)
    add_note(fig, note)
    return fig


#: Marker of each entry status in the side-by-side levels figure (see funding.STATUSES):
#: filled, hollow, hatched.
STATUS_MARKERS = {"named": {"fill": True, "hatch": None},
                  "listed, use not confirmed": {"fill": False, "hatch": None},
                  "implementer, not a funder": {"fill": False, "hatch": "////"}}


def _status_dot(ax: Axes, x: float, y: float, colour: str, status: str) -> None:
    style = STATUS_MARKERS[status]
    ax.scatter(x, y, s=260, facecolor=colour if style["fill"] else "white", edgecolor=colour,
               linewidth=2, hatch=style["hatch"], zorder=3)


def _status_handle(status: str) -> Line2D | Patch:
    """A legend entry for a status marker (a Line2D marker cannot be hatched: use a patch)."""
    style = STATUS_MARKERS[status]
    if style["hatch"]:
        return Patch(facecolor="white", edgecolor="#555555", hatch=style["hatch"], label=status)
    return Line2D([], [], linestyle="none", marker="o", markersize=12, markeredgewidth=2,
                  color="#555555", markerfacecolor="#555555" if style["fill"] else "white",
                  label=status)


def funding_levels_dots(levels: pd.DataFrame, note: str, highlight: str = HIGHLIGHT) -> Figure:
    """Which funding levels appear at the city and at the region, on one common scale.

    ``levels``: common_level (ordered categorical), scale ("city" or "region"), name, n and,
    optionally, status (as from ``funding.levels_side_by_side``). A dot with its count where a
    level appears: filled when named, hollow when listed but its use is not confirmed, hatched
    when the entry is an implementer rather than a funder; a small grey ring where it does not.
    """
    order = list(levels["common_level"].cat.categories)
    scales = ["city", "region"]
    colour = {"city": highlight, "region": PALETTE[1]}
    unit = {"city": "source", "region": "instrument"}
    fig, ax = plt.subplots(figsize=(8.5, 2.2 + 0.55 * len(order)), layout="constrained")
    statuses = levels["status"] if "status" in levels else ["named"] * len(levels)
    for r, status in zip(levels.itertuples(), statuses, strict=True):
        x, y = scales.index(r.scale), order.index(r.common_level)
        if r.n > 0:
            _status_dot(ax, x, y, colour[r.scale], status)
            ax.text(x + 0.09, y, f"{r.n} {unit[r.scale]}{'s' if r.n > 1 else ''}",
                    va="center", fontsize=9.5)
        else:
            ax.scatter(x, y, s=120, facecolor="white", edgecolor=CONTEXT, zorder=3)
    names = levels.drop_duplicates("scale").set_index("scale")["name"]
    ax.set_xticks([0, 1], [f"{names['city']}\n(city: funding sources)",
                           f"{names['region']}\n(region: funding instruments)"])
    for tick, scale in zip(ax.get_xticklabels(), scales, strict=True):
        tick.set_color(colour[scale])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(order)), order)
    ax.set_ylabel("funding level (common scale)")
    ax.set_xlim(-0.4, 1.6)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.grid(axis="x", visible=False)
    ax.set_title("Funding levels at the city and the region", pad=12)
    shown = [st for st in STATUS_MARKERS if st in set(statuses)]
    handles = [_status_handle(st) for st in shown]
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=8, color=CONTEXT,
                          markerfacecolor="white", label="not named"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=len(handles), frameon=False, fontsize=9)
    add_note(fig, note)
    return fig

# --- profile figures ---

_INK = "#222222"
_MUTED = "#6B6B6B"


def _wrap(text: object, width: int = 36) -> str:
    return textwrap.fill(str(text), width, break_on_hyphens=False)


def _base(row: pd.Series) -> str:
    """The base of a share as labelled: n, and how far the sources support it."""
    base_n = row["base_n"]
    if base_n is None or pd.isna(base_n):
        return "base not stated"
    if row.get("base_note"):
        return f"n = {int(base_n)}, base uncertain"
    given, joined = str(row.get("base_sources") or ""), str(row.get("source") or "")
    if given and len(given.split("; ")) < len(joined.split("; ")):
        return f"n = {int(base_n)} ({len(given.split('; '))} of {len(joined.split('; '))} sources)"
    return f"n = {int(base_n)}"


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
            maybe = bool(r.get("may_include_city", False))
            if pd.isna(r["value"]):
                ax.text(1, y, f"\u201c{r['wording']}\u201d (given in words only)", va="center",
                        style="italic", fontsize=9, color=colour if r["matches_city"] else _INK)
            else:
                ax.barh(y, r["value"], height=0.6, color=colour, **(
                    {"facecolor": "white", "edgecolor": highlight, "hatch": "///",
                     "linewidth": 1.2} if maybe else {}))
                ax.text(r["value"] + 1, y, f"{r['value']:g}%", va="center", fontsize=9,
                        color=_INK)
        ax.set_yticks(range(len(rows)),
                      [f"{_wrap(r['item'])}\n{r['survey_round']} \u00b7 {_base(r)}"
                       for _, r in rows.iterrows()], fontsize=9)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
    last = axes[-1, 0]
    last.set_xlim(0, 100)
    last.set_xlabel("Share of cities surveyed (%)")
    fig.suptitle(f"Strategy and approach: {city} beside the survey", x=0.01, ha="left",
                 fontweight="bold")
    handles = [_dot(highlight, f"describes {city}'s answer", marker="s"),
               _dot(CONTEXT, "other answers", marker="s")]
    if shares.get("may_include_city", pd.Series(dtype=bool)).any():
        handles.insert(1, Patch(facecolor="white", edgecolor=highlight, hatch="///",
                                label=f"may include {city}'s answer (see note)"))
    return _finish(fig, last, handles, note)


def _status_marker(status: object) -> tuple[str, bool]:
    """Marker and hollowness of a city item by its data status: filled only where sufficient.

    No status (roles) is filled; "insufficient" is a hollow square; anything else (unknown,
    or several statuses joined) a hollow circle, so the city's colour never implies data.
    """
    if status is None or status == "sufficient" or (not isinstance(status, str) and
                                                    pd.isna(status)):
        return "o", False
    return ("s", True) if status == "insufficient" else ("o", True)


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
        label = f"{_wrap(r['label'], 40)}\n{r['survey_round']} \u00b7 {_base(r)}"
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
        marker, hollow = _status_marker(r["city_status"] if r["status"] == "matched" else None)
        ax.hlines(y, 0, r["value"], color=colour, linewidth=2 if not hollow else 1.5,
                  linestyles="dashed" if hollow else "solid")
        ax.plot(r["value"], y, marker, color=colour, markersize=9, markeredgewidth=2,
                markerfacecolor="white" if hollow else colour)
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
    matched = shares.loc[shares["status"] == "matched", "city_status"]
    handles = []
    for status in dict.fromkeys(matched.where(matched.notna(), None)):
        marker, hollow = _status_marker(status)
        label = (f"{city} lists a matching {what}" if status is None
                 else f"{city} lists the {what} (data status {status})")
        handles.append(_dot(highlight, label, hollow=hollow, marker=marker))
    if (shares["status"] == "survey only").any():
        handles.append(_dot(CONTEXT, f"{city} lists no matching {what}"))
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
                     note: str | None = None) -> Figure | Absent:
    """The city's own activities (left) joined to the numbered options (right) they match.

    ``links`` is ``profile.activity_links``: ``rank``, ``option``, ``city_activity`` and
    ``own_position`` (empty where the city does not list the option as its own). Without the
    numbered options there is nothing to draw: the sentence saying so is returned.
    """
    if links.empty:
        return Absent(f"{city}'s profile does not print the numbered options, so its "
                      "activities are not drawn against them.")
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


# --- theme figures ---

LINK_COLOURS = {"stated": PALETTE[1], "same-name": PALETTE[4], "implied": PALETTE[5]}
LINK_LABELS = {"stated": "documented: stated in a source",
               "same-name": "documented: same name in both periods",
               "implied": "documented: implied, not stated"}
INFERRED_COLOUR = PALETTE[0]
METHOD_LABELS = {"tfidf": "TF-IDF cosine similarity of summary and focus areas",
                 "jaccard": "Jaccard similarity of focus-area terms"}
FOCUS_COLOURS = {"first period": CONTEXT, "new": PALETTE[3], "carried over": PALETTE[1]}
FOCUS_LABELS = {"first period": "in the first period shown", "new": "new in this period",
                "carried over": "carried over from the previous period"}


def _wrap_lines(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def period_timeline(periods, note: str | None = None) -> Figure:
    """Strategy periods as bars over the years, with approval years and numbers of themes."""
    from matplotlib.lines import Line2D

    n = len(periods)
    fig, ax = plt.subplots(figsize=(10, 1.1 + 0.8 * n))
    for i, p in enumerate(periods.itertuples()):
        ax.barh(i, p.end + 1 - p.start, left=p.start, height=0.55, color=PALETTE[1], alpha=0.85)
        count = f"{p.n_themes} {p.theme_word}{'s' if p.n_themes != 1 else ''}"
        name = f"{p.name}: " if isinstance(p.name, str) else ""
        ax.text(p.end + 1.2, i, f"{name}{count}", va="center", ha="left", fontsize=9.5)
        if not _isna(p.approved_year):
            ax.plot(p.approved_year + 0.5, i - 0.42, marker="v", color=PALETTE[3],
                    markersize=9, markeredgecolor="black", markeredgewidth=0.5)
            by = f" by {p.approved_by}" if isinstance(p.approved_by, str) else ""
            ax.text(p.approved_year + 0.85, i - 0.42, f"approved {p.approved_year}{by}",
                    va="center", ha="left", fontsize=8.5, color="#444444")
    starts = int(periods["start"].min())
    approvals = [int(y) for y in periods["approved_year"].dropna()]
    first = min([starts, *approvals])
    last = int(periods["end"].max())
    ax.set_xlim(first - 0.3, last + 9)
    years = range(first, last + 1, 1 if last - first < 10 else 2)
    ax.set_xticks([y + 0.5 for y in years], list(years))
    ax.tick_params(axis="x", labelsize=9)
    ax.set_ylim(n - 0.4, -0.9)
    ax.set_yticks(range(n), list(periods["period"]))
    ax.set_xlabel("year (a bar spans whole calendar years)")
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("strategy period")
    ax.grid(axis="y", visible=False)
    ax.set_title("Strategy periods, their approval and number of themes")
    handles = [Line2D([], [], color=PALETTE[1], lw=8, label="period covered")]
    if approvals:
        handles.append(Line2D([], [], marker="v", color=PALETTE[3], markeredgecolor="black",
                              markeredgewidth=0.5, lw=0, markersize=9, label="year approved"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.tight_layout()
    if note:
        add_note(fig, note)
    return fig


def _isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _band(x0: float, x1: float, a0: float, a1: float, b0: float, b1: float):
    """Closed path of a band from (x0, a0..a1) to (x1, b0..b1) with smooth edges."""
    from matplotlib.path import Path as MplPath

    xm = (x0 + x1) / 2
    verts = [(x0, a0), (xm, a0), (xm, b0), (x1, b0), (x1, b1), (xm, b1), (xm, a1), (x0, a1),
             (x0, a0)]
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def lineage_flow(nodes, bands, periods, threshold: float, method: str,
                 note: str | None = None) -> Figure:
    """Alluvial view of theme lineage: period columns, theme boxes, link bands.

    ``nodes`` and ``bands`` come from ``themes.flow_data``; ``periods`` from
    ``themes.period_table``. Documented links are filled bands coloured by their basis;
    links inferred from text similarity have a dashed outline (both where the two agree).
    """
    from matplotlib.patches import FancyBboxPatch, Patch, PathPatch

    ncol = int(nodes["column"].max()) + 1
    bottom = float(nodes["y1"].max())
    width = 0.36
    fig, ax = plt.subplots(figsize=(4.4 * ncol, 1.0 + 0.95 * bottom))
    for b in bands.itertuples():
        x0, x1 = b.from_column + width / 2, b.from_column + 1 - width / 2
        path = _band(x0, x1, b.from_y0, b.from_y1, b.to_y0, b.to_y1)
        if b.documented:
            ax.add_patch(PathPatch(path, facecolor=LINK_COLOURS[b.basis], alpha=0.55,
                                   edgecolor="white", linewidth=0, zorder=1,
                                   hatch="//" if b.via else None))
        if b.inferred:
            ax.add_patch(PathPatch(path, facecolor=INFERRED_COLOUR if not b.documented
                                   else "none", alpha=0.12 if not b.documented else 1.0,
                                   edgecolor="none", zorder=1))
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=INFERRED_COLOUR,
                                   linestyle=(0, (4, 2.5)), linewidth=1.6, zorder=2))
    for n in nodes.itertuples():
        ax.add_patch(FancyBboxPatch((n.column - width / 2, n.y0), width, n.y1 - n.y0,
                                    boxstyle="round,pad=0,rounding_size=0.04",
                                    facecolor="white", edgecolor="#333333", linewidth=1.1,
                                    zorder=3))
        long = len(str(n.theme)) > 40  # long labels get wider lines and a smaller font
        ax.text(n.column, (n.y0 + n.y1) / 2, _wrap_lines(n.theme, 24 if long else 14),
                ha="center", va="center", fontsize=7.5 if long else 9.5, zorder=4)
    headers = [(_wrap_lines(p.name, 26) + "\n" if isinstance(p.name, str) else "")
               + f"{p.n_themes} {p.theme_word}{'s' if p.n_themes != 1 else ''}"
               for p in periods.itertuples()]
    lines = max(h.count("\n") + 1 for h in headers)
    for col, (period, sub) in enumerate(zip(periods["period"], headers, strict=True)):
        ax.text(col, -0.3, sub, ha="center", va="bottom", fontsize=9, color="#444444")
        ax.annotate(period, (col, -0.3), xytext=(0, 4 + 12 * lines), textcoords="offset points",
                    ha="center", va="bottom", fontsize=11, fontweight="bold")
    ax.set_xlim(-0.5, ncol - 0.5)
    ax.set_ylim(bottom + 0.2, -2.0)
    ax.axis("off")
    ax.set_title("Theme lineage: which theme became which in the next period", pad=4)
    present = [k for k in LINK_COLOURS if (bands["documented"] & (bands["basis"] == k)).any()]
    handles = [Patch(facecolor=LINK_COLOURS[k], alpha=0.55, label=LINK_LABELS[k])
               for k in present]
    if (bands["documented"] & (bands["via"] != "")).any():
        handles.append(Patch(facecolor=CONTEXT, alpha=0.55, hatch="//", edgecolor="white",
                             label="hatched: chained through a period not shown "
                                   "(weakest basis)"))
    handles.append(Patch(facecolor="none", edgecolor=INFERRED_COLOUR, linestyle=(0, (4, 2.5)),
                         linewidth=1.6,
                         label=f"inferred: {METHOD_LABELS[method]} at least {threshold:.2f}"))
    wide = ncol >= 3
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=2 if wide else 1, frameon=False, fontsize=9, handlelength=2.5,
              title_fontsize=9,
              title="filled band = relation documented in a source (colour: how);"
                    + (" " if wide else "\n")
                    + "dashed outline = found by similarity; both = they agree")
    fig.tight_layout()
    if note:
        add_note(fig, note)
    return fig


def similarity_heatmaps(scores, comparison, threshold: float, method: str,
                        note: str | None = None) -> Figure:
    """One heatmap per consecutive period pair: similarity of each theme to the next ones.

    Cells with a documented link get a solid blue frame, cells at or above the threshold a
    dashed frame (the inferred links).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    pairs = list(scores[["from_period", "to_period"]].drop_duplicates().itertuples(index=False))
    sizes = [scores.loc[(scores["from_period"] == a) & (scores["to_period"] == b), "from_id"]
             .nunique() for a, b in pairs]
    fig, axes = plt.subplots(len(pairs), 1, squeeze=False,
                             figsize=(8.5, 1.6 + sum(0.62 * r + 1.1 for r in sizes)),
                             gridspec_kw={"height_ratios": [r + 1.8 for r in sizes]})
    linked = {(r.from_id, r.to_id) for r in comparison.itertuples() if r.documented}
    for ax, (a, b) in zip(axes[:, 0], pairs, strict=True):
        sub = scores[(scores["from_period"] == a) & (scores["to_period"] == b)]
        grid = sub.pivot(index="from_id", columns="to_id", values="score")
        grid = grid.loc[sub["from_id"].unique(), sub["to_id"].unique()]
        names = dict(zip(sub["from_id"], sub["from_theme"], strict=False)) | \
            dict(zip(sub["to_id"], sub["to_theme"], strict=False))
        sns.heatmap(grid, ax=ax, vmin=0, vmax=1, cmap="Greys", annot=True, fmt=".2f",
                    annot_kws={"fontsize": 9}, linewidths=0.5, linecolor="white",
                    cbar_kws={"label": "similarity (0-1)", "shrink": 0.9})
        for i, fid in enumerate(grid.index):
            for j, tid in enumerate(grid.columns):
                if (fid, tid) in linked:
                    ax.add_patch(Rectangle((j + 0.05, i + 0.05), 0.9, 0.9, fill=False,
                                           edgecolor=LINK_COLOURS["stated"], linewidth=2.4))
                if grid.iat[i, j] >= threshold:
                    ax.add_patch(Rectangle((j + 0.14, i + 0.14), 0.72, 0.72, fill=False,
                                           edgecolor=INFERRED_COLOUR, linewidth=1.8,
                                           linestyle=(0, (3, 2))))
        ax.set_yticks([i + 0.5 for i in range(len(grid.index))],
                      [_wrap_lines(names[t], 22) for t in grid.index], rotation=0, fontsize=9)
        ax.set_xticks([j + 0.5 for j in range(len(grid.columns))],
                      [_wrap_lines(names[t], 14) for t in grid.columns], rotation=0, fontsize=9)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_ylabel(f"theme in {a}")
        ax.set_xlabel(f"theme in {b}")
        ax.set_title(f"{a} → {b}", pad=8, loc="left")
    handles = [Line2D([], [], color=LINK_COLOURS["stated"], lw=2.4,
                      label="documented link (any basis)"),
               Line2D([], [], color=INFERRED_COLOUR, lw=1.8, linestyle=(0, (3, 2)),
                      label=f"inferred link: similarity at least {threshold:.2f}")]
    fig.suptitle(f"Similarity of each theme to each theme of the next period\n"
                 f"({METHOD_LABELS[method]})", x=0.01, ha="left", fontweight="bold",
                 fontsize=12)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, -0.01), ncol=2,
               frameon=False, fontsize=9)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    if note:
        add_note(fig, note)
    return fig


def focus_matrix(status, themes, note: str | None = None) -> Figure:
    """Theme x focus-area matrix: which canonical terms appear, persist and disappear.

    ``status`` comes from ``themes.focus_status``; ``themes`` gives the column order. A term
    marked * joins several raw wordings (``merged``; see ``themes.term_mapping``).
    """
    from matplotlib.lines import Line2D

    cols = list(themes["theme_id"])
    col_of = {t: i for i, t in enumerate(cols)}
    terms = list(dict.fromkeys(status["term"]))
    row_of = {t: i for i, t in enumerate(terms)}
    fig, ax = plt.subplots(figsize=(3.6 + 0.75 * len(cols), 3.4 + 0.3 * len(terms)))
    cells = status.drop_duplicates(["term", "theme_id"])
    for kind, colour in FOCUS_COLOURS.items():
        sub = cells[cells["status"] == kind]
        ax.scatter(sub["theme_id"].map(col_of), sub["term"].map(row_of), marker="s", s=130,
                   color=colour, edgecolor="white", linewidth=0.5, zorder=3)
    merged = set(status.loc[status["merged"], "term"])
    ax.set_yticks(range(len(terms)), [f"{t} *" if t in merged else t for t in terms],
                  fontsize=9)
    ax.set_xticks(range(len(cols)), [_wrap_lines(n, 14) for n in themes["theme"]], rotation=60,
                  ha="right", rotation_mode="anchor", fontsize=9)
    dropped = status.drop_duplicates("term").set_index("term")["dropped_after"]
    for t, after in dropped.items():
        if after:
            ax.annotate(f"dropped after {after}", (1, row_of[t]),
                        xycoords=("axes fraction", "data"), xytext=(5, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=8,
                        color="#444444")
    bounds = themes.reset_index(drop=True).groupby("period", observed=True, sort=False).apply(
        lambda g: (g.index.min(), g.index.max()), include_groups=False)
    for period, (lo, hi) in bounds.items():
        ax.text((lo + hi) / 2, -1.0, str(period), ha="center", va="bottom", fontsize=10,
                fontweight="bold")
        if lo:
            ax.axvline(lo - 0.5, color="#666666", linewidth=1)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.set_ylim(len(terms) - 0.4, -1.2)
    ax.grid(True, color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("theme (grouped by strategy period)")
    ax.set_ylabel("focus area (canonical term)")
    ax.set_title("Focus areas of each theme: what appears, persists and disappears", pad=14)
    handles = [Line2D([], [], marker="s", lw=0, markersize=9, color=c, label=FOCUS_LABELS[k])
               for k, c in FOCUS_COLOURS.items() if (cells["status"] == k).any()]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=3,
               frameon=False, fontsize=9)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    if note:
        add_note(fig, note)
    return fig


def crosswalk_matrix(cross, note: str | None = None) -> Figure | Absent:
    """Region themes against the city's policy areas and activities: shared keyword topics.

    Without city items there is nothing to draw: the sentence saying so is returned.
    """
    import numpy as np

    if cross.empty:
        return Absent("The city's profile gives no policy areas and no activities of its own, "
                      "so there is nothing to set beside the region's themes.")

    themes = cross.drop_duplicates("theme_id")[["theme_id", "theme", "period"]]
    items = cross.drop_duplicates(["kind", "item"])[["kind", "item"]]
    grid = cross.pivot_table(index="theme_id", columns=["kind", "item"], values="n_shared",
                             sort=False).loc[themes["theme_id"], list(items.itertuples(
                                 index=False, name=None))]
    text = cross.set_index(["theme_id", "kind", "item"])["shared"]
    top = max(int(grid.to_numpy().max()), 1)
    fig, ax = plt.subplots(figsize=(3.4 + 1.45 * len(items), 2.6 + 0.62 * len(themes)))
    cmap = ["#FFFFFF", *sns.light_palette(PALETTE[2], n_colors=top + 1)[1:]]
    sns.heatmap(grid.to_numpy(), ax=ax, cmap=cmap, vmin=-0.5, vmax=top + 0.5,
                linewidths=0.8, linecolor="#DDDDDD",
                cbar_kws={"label": "number of shared topics", "ticks": np.arange(top + 1),
                          "shrink": 0.6})
    for i, tid in enumerate(themes["theme_id"]):
        for j, (kind, item) in enumerate(items.itertuples(index=False, name=None)):
            shared = text[(tid, kind, item)]
            if shared:  # white text only on the darkest shade, and only when it is dark
                dark = len(shared) == top and top >= 3
                ax.text(j + 0.5, i + 0.5, "\n".join(shared), ha="center", va="center",
                        fontsize=7.5, color="white" if dark else "black")
    ax.set_yticks(np.arange(len(themes)) + 0.5,
                  [f"{_wrap_lines(t.theme, 24)} ({t.period})" for t in themes.itertuples()],
                  rotation=0, fontsize=9)
    ax.set_xticks(np.arange(len(items)) + 0.5,
                  [f"{k}:\n{_wrap_lines(i, 18)}" for k, i in items.itertuples(index=False)],
                  rotation=0, fontsize=8.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for p in range(1, len(themes)):
        if themes["period"].iloc[p] != themes["period"].iloc[p - 1]:
            ax.axhline(p, color="#333333", linewidth=1.2)
    kinds = list(items["kind"])
    for j in range(1, len(kinds)):
        if kinds[j] != kinds[j - 1]:
            ax.axvline(j, color="#333333", linewidth=1.2)
    ax.set_xlabel("")
    ax.set_ylabel("region's theme (strategy period)")
    ax.set_title("Keyword-based crosswalk: topics a theme shares with the city's policy areas "
                 "and innovation activities", pad=12, fontsize=11)
    fig.tight_layout()
    if note:
        add_note(fig, note)
    return fig


# --- targets and regions (notebook 05) ---------------------------------------------------------

#: Colours of a target's series: the region's own first, other areas and age bands after.
SERIES_COLOURS = [PALETTE[1], PALETTE[2], PALETTE[5], PALETTE[3], PALETTE[4], PALETTE[7]]


def _runs(years: list[int], values: list[float]) -> list[tuple[list[int], list[float]]]:
    """Split a series where a year is missing: a gap year is never bridged by a line."""
    runs: list[tuple[list[int], list[float]]] = []
    for y, v in zip(years, values, strict=True):
        if runs and y == runs[-1][0][-1] + 1:
            runs[-1][0].append(y)
            runs[-1][1].append(v)
        else:
            runs.append(([y], [v]))
    return runs


def _observed(ax: Axes, years: list[int], values: list[float], colour: str, *,
              hollow: bool = False, lw: float = 2.0, zorder: int = 3) -> None:
    for ys, vs in _runs(years, values):
        ax.plot(ys, vs, color=colour, lw=lw, marker="o", markersize=5.5, zorder=zorder,
                markerfacecolor="white" if hollow else colour, markeredgecolor=colour,
                linestyle="--" if hollow else "-")


def target_progress(series: pd.DataFrame, progress: pd.DataFrame, target: pd.Series,
                    note: str | None = None) -> Figure:
    """One target: its observed series, the target as a line, and the roads to it.

    Each series of ``series`` (as from ``targets.target_series``, one target) is drawn apart:
    filled markers and a solid line for the region itself, hollow markers and dashes for another
    area or age band; a missing year breaks the line. Per series of ``progress``: a dotted
    line from the latest value to the target (the pace needed) and a dash-dotted one at the
    observed pace (the projection); the latest gap is an arrow.
    """
    fig, ax = plt.subplots(figsize=(9.5, 5.2), layout="constrained")
    handles: list[Line2D] = []
    goal, year = float(target["target_value"]), int(target["target_year"])
    first = int(series["year"].min()) if len(series) else year - 10
    for i, (name, one) in enumerate(series.groupby("series", sort=False)):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        other = not bool(one["same_area"].all())
        _observed(ax, one["year"].tolist(), one["value"].tolist(), colour, hollow=other)
        handles.append(_dot(colour, _wrap(name + (" (other area or age band)" if other else ""),
                                          44), hollow=other))
        row = progress[progress["series"] == name]
        if row.empty:
            continue
        r = row.iloc[0]
        ly, lv = int(r["latest_year"]), float(r["latest_value"])
        if r["status"] == "not met" and pd.notna(r["required_per_year"]):
            ax.plot([ly, year], [lv, goal], color=colour, lw=1.2, linestyle=":")
        if pd.notna(r["projected"]):
            ax.plot([ly, year], [lv, float(r["projected"])], color=colour, lw=1.2,
                    linestyle="-.")
            ax.annotate(f"{r['projected']:.2f} at the {int(r['projected_from'])}-{ly} pace",
                        (year, float(r["projected"])), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=8.5, color=colour)
        if i == 0:
            ax.annotate("", (ly, goal), (ly, lv), arrowprops={"arrowstyle": "->",
                                                              "color": _MUTED, "lw": 1})
            ax.text(ly - 0.25, (lv + goal) / 2, f"gap {goal - lv:+.2f}", ha="right",
                    va="center", fontsize=8.5, color="#444444")
    ax.axhline(goal, color=HIGHLIGHT, lw=1.5, linestyle="--", zorder=2)
    ax.plot([year], [goal], marker="*", markersize=14, color=HIGHLIGHT, zorder=4)
    handles += [Line2D([], [], color=HIGHLIGHT, lw=1.5, linestyle="--", marker="*",
                       markersize=11, label=f"target {goal:g} ({target['unit']}) by {year}"),
                Line2D([], [], color="#444444", lw=1.2, linestyle=":",
                       label="pace needed from the latest value"),
                Line2D([], [], color="#444444", lw=1.2, linestyle="-.",
                       label="at the observed pace")]
    ax.set_xlim(first - 0.5, year + 3.5)
    ax.set_xlabel("year (a line joins consecutive years only; a missing year leaves a gap)")
    ax.set_ylabel(str(series["unit"].iloc[0]) if len(series) else "")
    ax.set_title(_wrap(f"{target['wording']}: observed values and the road to {year}", 70))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig


def emissions_and_years(series: pd.DataFrame, years: pd.DataFrame, region: str,
                        note: str | None = None) -> Figure:
    """Greenhouse-gas emissions by area (never merged) with every neutrality year in data/.

    ``years``: who, year, what, source (as from ``targets.neutrality_years``): one vertical line
    per who and year - the region's solid, the EU's dotted, the city's dashed - each labelled
    "who year" at its top, the labels stepped down so that near years do not overprint (the
    sources are in the note and the table beside the figure). Year ticks every 2, 5 or 10 years.
    """
    from matplotlib.ticker import MultipleLocator

    fig, ax = plt.subplots(figsize=(9.5, 5.6), layout="constrained")
    handles: list[Line2D] = []
    for i, (name, one) in enumerate(series.groupby("series", sort=False)):
        colour = SERIES_COLOURS[(i + 1) % len(SERIES_COLOURS)]
        other = not bool(one["same_area"].all())
        _observed(ax, one["year"].tolist(), one["value"].tolist(), colour, hollow=other)
        handles.append(_dot(colour, _wrap(name, 60), hollow=other))
    top = float(series["value"].max()) * 1.3 if len(series) else 1.0
    styles: dict[str, tuple[str, str]] = {}
    for who in dict.fromkeys(years["who"]):
        kind = "region" if who == region else "EU" if who == "European Union" else "city"
        styles[who] = {"region": (HIGHLIGHT, "-"), "EU": (PALETTE[1], ":"),
                       "city": (PALETTE[7], "--")}[kind]
    offsets = {who: (i - (len(styles) - 1) / 2) * 0.18 for i, who in enumerate(styles)}
    lines = years.drop_duplicates(["who", "year"]).sort_values(["year", "who"], kind="stable")
    for step, row in enumerate(lines.itertuples()):
        colour, style = styles[row.who]
        x = int(row.year) + offsets[row.who]
        ax.axvline(x, color=colour, lw=1.4, linestyle=style, zorder=1)
        ax.text(x, top * (0.97 - 0.07 * (step % 4)), f" {row.who} {row.year} ", ha="center",
                va="top", fontsize=8, color=colour,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})
    handles += [Line2D([], [], color=c, lw=1.4, linestyle=st, label=f"{who}: neutrality year")
                for who, (c, st) in styles.items()]
    first = int(series["year"].min()) if len(series) else int(years["year"].min()) - 5
    last = int(max(years["year"].max() if len(years) else 0,
                   series["year"].max() if len(series) else 0))
    span = last - first
    ax.set_xlim(first - 1, last + 1.5)
    ax.xaxis.set_major_locator(MultipleLocator(2 if span <= 12 else 5 if span <= 40 else 10))
    ax.set_ylim(0, top)
    ax.set_xlabel("year (a line joins consecutive years only)")
    ax.set_ylabel("greenhouse-gas emissions (kt CO2e)")
    ax.set_title("Emissions of the areas observed and the neutrality years in the sources")
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=1,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig


def region_distribution(table: pd.DataFrame, region_code: str, peers: list[str],
                        label: str, year: int, names: dict[str, str],
                        note: str | None = None) -> Figure:
    """All regions' values of one series in one year, the region highlighted, peers marked.

    ``table``: region_code, value, rank, of (as from ``targets.ranking``); ``names`` maps a code
    to the name shown.
    """
    fig, ax = plt.subplots(figsize=(9.5, 4.8), layout="constrained")
    from matplotlib.ticker import MaxNLocator

    sns.histplot(table["value"], bins=30, color=CONTEXT, ax=ax, edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = ax.get_ylim()[1]
    marks = [(region_code, HIGHLIGHT, 2.4)] + [
        (c, SERIES_COLOURS[i % len(SERIES_COLOURS)], 1.4) for i, c in enumerate(peers)]
    handles = [Patch(color=CONTEXT, label=f"NUTS 2 regions ({len(table)})")]
    for k, (code, colour, lw) in enumerate(marks):
        row = table[table["region_code"] == code]
        if row.empty:
            continue
        value, rank = float(row["value"].iloc[0]), int(row["rank"].iloc[0])
        ax.axvline(value, color=colour, lw=lw)
        ax.text(value, top * (0.97 - 0.08 * k), f" {names.get(code, code)}: rank {rank}",
                color=colour, fontsize=8.5, va="top",
                fontweight="bold" if code == region_code else "normal")
        handles.append(Line2D([], [], color=colour, lw=lw, label=names.get(code, code)))
    ax.set_xlabel(label)
    ax.set_ylabel("number of regions")
    ax.set_title(_wrap(f"{names.get(region_code, region_code)} among Europe's NUTS 2 regions, "
                       f"{year}", 70))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig


def top_regions(table: pd.DataFrame, region_code: str, label: str, year: int,
                names: dict[str, str], n: int = 10, note: str | None = None) -> Figure:
    """The ``n`` highest regions as bars; the region highlighted, added below if not among them."""
    shown = table.head(n)
    if region_code not in set(shown["region_code"]):
        shown = pd.concat([shown, table[table["region_code"] == region_code]])
    fig, ax = plt.subplots(figsize=(9.5, 1.2 + 0.42 * len(shown)), layout="constrained")
    colours = [HIGHLIGHT if c == region_code else CONTEXT for c in shown["region_code"]]
    ax.barh(range(len(shown)), shown["value"], color=colours, height=0.65)
    ax.set_yticks(range(len(shown)), [f"{int(r.rank)}. {names.get(r.region_code, r.region_code)}"
                                      for r in shown.itertuples()])
    for i, v in enumerate(shown["value"]):
        ax.text(v, i, f" {v:g}", va="center", fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlabel(label)
    ax.set_title(_wrap(f"The {n} highest NUTS 2 regions, {year} (of {len(table)} with a value)",
                       70))
    ax.grid(axis="y", visible=False)
    if note:
        add_note(fig, note)
    return fig


def peer_lines(lines: pd.DataFrame, region_code: str, label: str, names: dict[str, str],
               note: str | None = None) -> Figure:
    """The region and its peers over time, one line each; the region highlighted."""
    fig, ax = plt.subplots(figsize=(9.5, 4.8), layout="constrained")
    handles = []
    peers = [c for c in dict.fromkeys(lines["region_code"]) if c != region_code]
    for i, code in enumerate([region_code, *peers]):
        one = lines[lines["region_code"] == code]
        if one.empty:
            continue
        own = code == region_code
        colour = HIGHLIGHT if own else SERIES_COLOURS[(i - 1) % len(SERIES_COLOURS)]
        _observed(ax, one["year"].tolist(), one["value"].tolist(), colour,
                  lw=3.0 if own else 1.6, zorder=4 if own else 3)
        handles.append(Line2D([], [], color=colour, lw=3.0 if own else 1.6, marker="o",
                              label=names.get(code, code)))
    ax.set_xlabel("year (a missing year leaves a gap in the line)")
    ax.set_ylabel(label)
    ax.set_title(_wrap(f"{names.get(region_code, region_code)} and its peer regions over time",
                       70))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=4,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig


# --- peer-city figures ---

COVERAGE_COLOURS = {"present": PALETTE[1], "absent from the page": "#E4E4E4",
                    "not applicable": "#FFFFFF"}


def _top_legend(fig: Figure, ax: Axes, handles: list, note: str | None) -> Figure:
    """Legend above the axes on the right (clear of rotated tick labels), then the note."""
    if handles:
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1, 1.0),
                  ncols=len(handles), frameon=False, fontsize=9, borderaxespad=0.2)
    if note:
        add_note(fig, note)
    return fig


def _mark_city(labels, city: str, highlight: str) -> None:
    """The chosen city's tick label in bold, in the highlight colour."""
    for label in labels:
        if label.get_text() == city:
            label.set_color(highlight)
            label.set_fontweight("bold")


def coverage_chart(cov: pd.DataFrame, *, city: str, note: str | None = None,
                   highlight: str = HIGHLIGHT) -> Figure:
    """City x section: data present (filled), absent from the page (grey), not applicable."""
    cities = list(dict.fromkeys(cov["city"]))
    sections = list(cov["section"].cat.categories)
    fig, ax = plt.subplots(figsize=(11, 0.36 * len(cities) + 3.4))
    fig.subplots_adjust(bottom=2.2 / fig.get_figheight())
    for _, row in cov.iterrows():
        x, y = sections.index(row["section"]), cities.index(row["city"])
        na = row["status"] == "not applicable"
        ax.add_patch(Rectangle((x - 0.45, y - 0.4), 0.9, 0.8, facecolor=COVERAGE_COLOURS[
            row["status"]], edgecolor="#B0B0B0" if na else "white", hatch="//" if na else None))
    ax.set_xlim(-0.6, len(sections) - 0.4)
    ax.set_ylim(len(cities) - 0.5, -0.5)
    ax.set_xticks(range(len(sections)), sections, rotation=45, ha="right")
    ax.set_yticks(range(len(cities)), cities)
    _mark_city(ax.get_yticklabels(), city, highlight)
    ax.grid(False)
    ax.set_title("Which sections each city's profile page gives", pad=22)
    ax.set_xlabel("section of the profile (in page order)")
    ax.set_ylabel("city")
    handles = [Patch(facecolor=c, edgecolor="#B0B0B0", label=s,
                     hatch="//" if s == "not applicable" else None)
               for s, c in COVERAGE_COLOURS.items()]
    return _top_legend(fig, ax, handles, note)


def option_matrix_chart(matrix: pd.DataFrame, shares: pd.DataFrame, *, city: str, title: str,
                        note: str | None = None, highlight: str = HIGHLIGHT) -> Figure | Absent:
    """Option x city dots (filled: chosen), the city's column highlighted; beside it the share
    of peers choosing each option (bars)."""
    if matrix.empty:
        return Absent(f"No city shown gives this list ({title}): nothing to draw.")
    options_ = list(matrix["option"].cat.categories)
    cities = list(dict.fromkeys(matrix["city"]))
    # room under the axes for the city names at 45 degrees and the axis label, no more
    below = 0.5 + 0.065 * max(len(c) for c in cities)
    height = 0.42 * len(options_) + 0.9 + below
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, height), sharey=True,
                                 gridspec_kw={"width_ratios": [max(len(cities), 3), 4]})
    fig.subplots_adjust(bottom=below / height, top=1 - 0.9 / height)
    for _, row in matrix.iterrows():
        x, y = cities.index(row["city"]), options_.index(row["option"])
        colour = highlight if row["city"] == city else PALETTE[1]
        ax.plot(x, y, "o", markersize=9, markeredgecolor=colour,
                markerfacecolor=colour if row["chosen"] else "white")
    if city in cities:
        ax.axvspan(cities.index(city) - 0.5, cities.index(city) + 0.5, color=highlight,
                   alpha=0.08, zorder=0)
    ax.set_xticks(range(len(cities)), cities, rotation=45, ha="right")
    _mark_city(ax.get_xticklabels(), city, highlight)
    ax.set_yticks(range(len(options_)), [_wrap(o, 34) for o in options_])
    ax.set_ylim(len(options_) - 0.5, -0.5)
    ax.set_xlim(-0.6, len(cities) - 0.4)
    ax.set_title(title, pad=22)
    ax.set_xlabel("city")
    ax.set_ylabel("option")
    ax.grid(False)
    share = shares.set_index("option").reindex(options_)
    n = int(shares["peers_answering"].max()) if not shares.empty else 0
    bx.barh(range(len(options_)), share["peer_share"].fillna(0), color=CONTEXT, height=0.6)
    for y, (value, mine) in enumerate(zip(share["peer_share"], share["city_chose"], strict=True)):
        if pd.notna(value):
            bx.text(value + 2, y, f"{value:.0f}%", va="center", fontsize=9)
        if mine is True:
            bx.plot(-4, y, "o", color=highlight, markersize=7, clip_on=False)
    bx.set_xlim(0, 115)
    bx.set_xlabel(f"share of the {n} peers choosing it (%)")
    bx.set_title("Among the peers", fontsize=11)
    handles = [_dot(PALETTE[1], "chosen"), _dot(PALETTE[1], "not chosen", hollow=True),
               _dot(highlight, f"{city} (its choices; dot left of a bar)")]
    return _top_legend(fig, ax, handles, note)


def share_pairs_chart(shares: pd.DataFrame, *, city: str, title: str, note: str | None = None,
                      highlight: str = HIGHLIGHT) -> Figure:
    """Share of peers giving each answer (bars) beside the survey-wide share (diamonds, where
    the survey has a figure); the city's own answers marked."""
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(shares) + 2))
    ys = range(len(shares))
    ax.barh(ys, shares["peer_share"].fillna(0), color=CONTEXT, height=0.55, label="peers")
    for y, (_, row) in zip(ys, shares.iterrows(), strict=True):
        survey = ""
        if pd.notna(row.get("survey_value")):
            ax.plot(row["survey_value"], y, "D", color=PALETTE[1], markersize=8)
        elif row.get("survey_wording"):
            survey = f"; survey: {row['survey_wording']}"
        if pd.notna(row["peer_share"]):
            ax.text(max(row["peer_share"], row.get("survey_value") or 0) + 2.5, y,
                    f"{row['peer_share']:.0f}% ({row['peers_with_answer']} of "
                    f"{row['peers_answering']}){survey}", va="center", fontsize=9)
    labels = [f"{a}{' ◀ ' + city if mine is True else ''}"
              for a, mine in zip(shares["answer"], shares["city_answer"], strict=True)]
    ax.set_yticks(list(ys), labels)
    for label, mine in zip(ax.get_yticklabels(), shares["city_answer"], strict=True):
        if mine is True:
            label.set_color(highlight)
            label.set_fontweight("bold")
    ax.set_ylim(len(shares) - 0.5, -0.5)
    ax.set_xlim(0, 115)
    ax.set_xlabel("share of cities (%)")
    ax.set_title(title, pad=22)
    handles = [Patch(color=CONTEXT, label="peers"),
               _dot(PALETTE[1], "survey-wide (benchmarks)", marker="D")]
    return _top_legend(fig, ax, handles, note)


def roles_chart(roles: pd.DataFrame, *, city: str, note: str | None = None,
                highlight: str = HIGHLIGHT) -> Figure | Absent:
    """Roles stated (the page's count, diamond) vs listed (the roles printed, dot) per city."""
    if roles.empty:
        return Absent("No city shown gives its innovation roles: nothing to draw.")
    rows = roles.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(rows) + 2))
    for y, row in rows.iterrows():
        colour = highlight if row["city"] == city else PALETTE[1]
        if pd.notna(row["stated"]):
            ax.plot([row["listed"], row["stated"]], [y, y], color="#BBBBBB", zorder=1)
            ax.plot(row["stated"], y, "D", color=colour, markerfacecolor="white", markersize=8)
        ax.plot(row["listed"], y, "o", color=colour, markersize=8)
    ax.set_yticks(range(len(rows)), rows["city"])
    _mark_city(ax.get_yticklabels(), city, highlight)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(left=-0.5)
    ax.set_xlabel("number of innovation roles")
    ax.set_title("Innovation roles: stated vs listed", pad=22)
    handles = [_dot(PALETTE[1], "listed"),
               _dot(PALETTE[1], "stated (filled where equal to listed)", hollow=True,
                    marker="D")]
    return _top_legend(fig, ax, handles, note)


def staff_chart(staff: pd.DataFrame, *, city: str, note: str | None = None,
                highlight: str = HIGHLIGHT) -> Figure | Absent:
    """Staff of the dedicated innovation team (left, log scale) and per 100,000 inhabitants
    (right), per city that gives a figure; sums of named teams hollow, lower bounds marked."""
    rows = staff[staff["staff"].notna() | staff["named_teams_staff"].notna()].copy()
    if rows.empty:
        return Absent("No city shown gives a staff figure for its innovation team: nothing to "
                      "draw.")
    rows["shown"] = rows["staff"].fillna(rows["named_teams_staff"])
    rows = rows.sort_values("shown", ascending=False, ignore_index=True)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 0.42 * len(rows) + 2.2), sharey=True)
    for y, row in rows.iterrows():
        colour = highlight if row["city"] == city else PALETTE[1]
        hollow = pd.isna(row["staff"])
        ax.plot(row["shown"], y, ">" if row["at_least"] else "o", color=colour, markersize=9,
                markerfacecolor="white" if hollow else colour)
        ax.text(row["shown"] * 1.15, y, f"{'> ' if row['at_least'] else ''}{row['shown']}",
                va="center", fontsize=9)
        if pd.notna(row["per_100k"]):
            bx.barh(y, row["per_100k"], color=colour, height=0.55)
            bx.text(row["per_100k"] + 0.15, y,
                    f"{'> ' if row['at_least'] else ''}{row['per_100k']:.1f}", va="center",
                    fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(1, rows["shown"].max() * 3 if len(rows) else 10)
    ax.set_yticks(range(len(rows)), rows["city"])
    _mark_city(ax.get_yticklabels(), city, highlight)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("staff (log scale)")
    ax.set_title("Innovation team staff")
    bx.set_xlabel("staff per 100,000 inhabitants")
    bx.set_title("per 100,000 inhabitants", fontsize=11)
    handles = [_dot(PALETTE[1], "one figure for the team"),
               _dot(PALETTE[1], "sum of named teams (not stated as one figure)", hollow=True),
               _dot(PALETTE[1], "lower bound (more than)", marker=">")]
    return _finish(fig, ax, handles, note, below=4.2)


def similarity_chart(alike: pd.DataFrame, *, city: str, measure: str, note: str | None = None,
                     highlight: str = HIGHLIGHT) -> Figure | Absent:
    """The other cities sorted by their similarity to ``city`` (bars, 0-1)."""
    if alike.empty:
        return Absent(f"No peer answers both lists as {city} does: no similarity to draw.")
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(alike) + 2))
    ys = range(len(alike))
    ax.barh(ys, alike["similarity"], color=PALETTE[1], height=0.6)
    for y, value in zip(ys, alike["similarity"], strict=True):
        ax.text(value + 0.01, y, f"{value:.2f}", va="center", fontsize=9)
    ax.set_yticks(list(ys), alike["city"])
    ax.set_ylim(len(alike) - 0.5, -0.5)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel(f"similarity to {city} ({measure}, 0-1)")
    ax.set_ylabel("city")
    ax.set_title(f"Which peers are most alike {city}")
    return _finish(fig, ax, [], note)
