"""Figures of notebook 02 (the funding mix): the city's dedicated funding against the survey,
the activities funded, the region's instrument matrix and the funding levels side by side.

Drawing only; the frames come from :mod:`city_innovation.analysis.funding`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..analysis import funding
from ..analysis.funding import pct
from ..data import Absent
from ..present.palette import CONTEXT, HIGHLIGHT, PALETTE
from .theme import add_note

#: Colours of the region's instrument levels (the city's highlight colour is kept apart).
LEVEL_COLOURS = [PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[5]]


def dedicated_funding_bars(rows: pd.DataFrame, answer: str, *, city: str,
                           note: str | None = None, highlight: str = HIGHLIGHT) -> Figure:
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
    if note:
        add_note(fig, note)
    return fig


def funded_activity_bars(values: pd.DataFrame, measure: str, *, city: str,
                         note: str | None = None, highlight: str = HIGHLIGHT) -> Figure | Absent:
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
    if note:
        add_note(fig, note)
    return fig


def instrument_heatmap(matrix: pd.DataFrame, title: str,
                       markers: dict[tuple[str, str], str] | None = None,
                       theme_word: str = "theme", *, note: str | None = None) -> Figure:
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
        if note:
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
    if note:
        add_note(fig, note)
    return fig


#: Marker of each entry status in the side-by-side levels figure: filled, hollow, hatched.
STATUS_MARKERS: dict[str, dict[str, bool | str | None]] = {
    funding.NAMED: {"fill": True, "hatch": None},
    funding.UNCONFIRMED: {"fill": False, "hatch": None},
    funding.NOT_A_FUNDER: {"fill": False, "hatch": "////"},
}


def _status_dot(ax: Axes, x: float, y: float, colour: str, status: str) -> None:
    """A level's dot at (x, y), filled, hollow or hatched by the entry's status."""
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


def funding_levels_dots(levels: pd.DataFrame, *, note: str | None = None,
                        highlight: str = HIGHLIGHT) -> Figure:
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
    statuses = levels["status"] if "status" in levels else [funding.NAMED] * len(levels)
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
    if note:
        add_note(fig, note)
    return fig
