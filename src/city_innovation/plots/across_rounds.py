"""Figures of notebook 06 (a city across survey rounds): drawing only, the numbers come from
:mod:`city_innovation.analysis.across_rounds`."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..analysis import across_rounds
from ..data import Absent
from ..present.palette import CONTEXT, PALETTE
from .theme import add_note, use_theme

#: Colour of each change (Okabe-Ito: blue kept, bluish green added, vermillion dropped).
COLOURS = {across_rounds.KEPT: PALETTE[1], across_rounds.ADDED: PALETTE[2],
           across_rounds.DROPPED: PALETTE[0]}
LISTED = CONTEXT   # listed in one page, the section missing in the other
MISSING = "#EEEEEE"


def _cells(status: str) -> tuple[str | None, str | None]:
    """What the older and the newer column show for an item of this status."""
    return {
        across_rounds.KEPT: (COLOURS[across_rounds.KEPT], COLOURS[across_rounds.KEPT]),
        across_rounds.ADDED: (None, COLOURS[across_rounds.ADDED]),
        across_rounds.DROPPED: (COLOURS[across_rounds.DROPPED], None),
        across_rounds.NOT_IN_OLDER: ("missing", LISTED),
        across_rounds.NOT_IN_NEWER: (LISTED, "missing"),
    }[status]


def _section_axes(labels: pd.Series, *, row: float, head: float, sharex: bool = False
                  ) -> tuple[Figure, list[Axes], list[str]]:
    """One axes a section, stacked, each as tall as its number of rows (plus a heading)."""
    use_theme()
    sections = list(dict.fromkeys(labels))
    sizes = [int((labels == s).sum()) for s in sections]
    fig, axes = plt.subplots(len(sections), 1, squeeze=False, sharex=sharex,
                             figsize=(9, 1.3 + row * sum(sizes) + 0.55 * len(sections)),
                             gridspec_kw={"height_ratios": [n + head for n in sizes]})
    return fig, list(axes[:, 0]), sections


def change_matrix(changes: pd.DataFrame, older: str, newer: str, *, city: str,
                  note: str | None = None) -> Figure | Absent:
    """Item x version matrix per section: kept, added and dropped coloured; a section a page
    does not give is hatched in that page's column (no change is read there)."""
    if changes.empty:
        return Absent(f"Neither page of {city} lists aims, success factors, policy areas, "
                      "roles or terms.")
    fig, axes, sections = _section_axes(changes["section_label"], row=0.32, head=1.2)
    for ax, section in zip(axes, sections, strict=True):
        part = changes[changes["section_label"] == section].reset_index(drop=True)
        for y, row in part.iterrows():
            for x, fill in enumerate(_cells(str(row["status"]))):
                if fill == "missing":
                    ax.add_patch(Rectangle((x + 0.05, y + 0.08), 0.9, 0.84, facecolor=MISSING,
                                           edgecolor="#BBBBBB", hatch="///", linewidth=0.5))
                elif fill is None:
                    ax.add_patch(Rectangle((x + 0.05, y + 0.08), 0.9, 0.84, facecolor="white",
                                           edgecolor="#CCCCCC", linewidth=0.8))
                else:
                    ax.add_patch(Rectangle((x + 0.05, y + 0.08), 0.9, 0.84, facecolor=fill,
                                           edgecolor="white"))
        ax.set_xlim(0, 2)
        ax.set_ylim(len(part), 0)
        ax.set_yticks([y + 0.5 for y in range(len(part))],
                      [textwrap.shorten(str(i), 60, placeholder="...") for i in part["item"]],
                      fontsize=9)
        if ax is axes[0]:   # the versions named once, above the first section
            ax.set_xticks([0.5, 1.5], [textwrap.fill(older, 30), textwrap.fill(newer, 30)])
            ax.xaxis.tick_top()
            ax.tick_params(axis="x", length=0, labelsize=9)
        else:
            ax.set_xticks([])
        ax.grid(False)
        ax.set_title(section, fontsize=10.5, pad=34 if ax is axes[0] else 4)
        for spine in ax.spines.values():
            spine.set_visible(False)
    handles = [Patch(facecolor=COLOURS[s], label=s)
               for s in (across_rounds.KEPT, across_rounds.ADDED, across_rounds.DROPPED)]
    handles += [Patch(facecolor=LISTED, label="listed (section not in the other page)"),
                Patch(facecolor=MISSING, edgecolor="#BBBBBB", hatch="///",
                      label="section not in this page")]
    fig.suptitle(f"{city}: what each page version lists, item by item", x=0.01, ha="left",
                 fontweight="bold")
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, -0.01), ncol=3,
               fontsize=8.5, frameon=False)
    fig.tight_layout(rect=(0, 0.06 + 0.2 / max(len(sections), 1), 1, 0.97), h_pad=1.2)
    if note:
        add_note(fig, note)
    return fig


def across_chart(counts: pd.DataFrame, *, note: str | None = None) -> Figure | Absent:
    """Per section, how many cities added (right) and dropped (left) each item between their
    oldest and newest page."""
    moved = counts[(counts[across_rounds.ADDED] > 0) | (counts[across_rounds.DROPPED] > 0)]
    if moved.empty:
        return Absent("No city with two page versions added or dropped an aim or a success "
                      "factor between its oldest and newest page.")
    fig, axes, sections = _section_axes(moved["section"], row=0.35, head=1.0, sharex=True)
    top = int(max(moved[across_rounds.ADDED].max(), moved[across_rounds.DROPPED].max()))
    for ax, section in zip(axes, sections, strict=True):
        part = moved[moved["section"] == section].reset_index(drop=True)
        labels = [textwrap.shorten(str(i), 60, placeholder="...") for i in part["item"]]
        ys = range(len(part))
        ax.barh(ys, part[across_rounds.ADDED], color=COLOURS[across_rounds.ADDED],
                label=across_rounds.ADDED)
        dropped = across_rounds.DROPPED
        ax.barh(ys, -part[dropped], color=COLOURS[dropped], label=dropped)
        ax.set_yticks(list(ys), labels, fontsize=9)
        ax.invert_yaxis()
        ax.axvline(0, color="#444444", linewidth=0.8)
        n = int(part["cities_compared"].iloc[0])
        ax.set_title(f"{section} ({n} cities compared)", fontsize=10.5)
        ax.set_xlim(-top - 0.5, top + 0.5)
    ticks = list(range(-top, top + 1))
    axes[-1].set_xticks(ticks, [str(abs(t)) for t in ticks])
    axes[-1].set_xlabel("cities: dropped (left) and added (right), oldest to newest page")
    axes[0].legend(loc="lower right", fontsize=8.5)
    fig.suptitle("Aims and success factors cities added or dropped between page versions",
                 x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    if note:
        add_note(fig, note)
    return fig
