"""Figures of the region among the other regions (notebook 03): a region x sector grid.

Kept apart from :mod:`city_innovation.plots` (one module per family of figures); it uses the
project's theme, palette and figure notes from there.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .analysis.regions import GRADES, SECTORS
from .palette import HIGHLIGHT
from .plots import add_note, plt

#: Fill of a cell by the grade of its best source: darker is more authoritative (one hue, so
#: the order reads without colour vision; the letter is printed in every cell too).
GRADE_FILL = {"A": "#08519C", "B": "#4A8BC4", "C": "#9CC3E4", "D": "#DCEAF6"}
GRADE_TEXT = {"A": "white", "B": "white", "C": "black", "D": "black"}
GRADE_MEANING = {"A": "European Commission or JRC page", "B": "the region's or city's own page",
                 "C": "copy of the strategy document", "D": "secondary source"}


def row_label(region: str, period: str, scope: str) -> str:
    """A row's label: the region, its period, and "national strategy" for a stand-in."""
    return f"{region} ({'national strategy, ' if scope == 'national' else ''}{period})"


def sector_grid(matrix: pd.DataFrame, labels: pd.DataFrame, region: str,
                note: str | None = None) -> Figure:
    """Each region's latest period (rows) against the sectors (columns): a filled cell where the
    region names the sector, its fill and letter the grade of the best source behind it. The
    row of ``region`` is framed and its label bold; sectors no region names are left out."""
    rows = labels.drop_duplicates("region")[["region", "period", "scope"]]
    sectors = [s for s in SECTORS if (matrix["sector"].astype(str) == s).any()]
    fig, ax = plt.subplots(figsize=(max(8.0, 0.75 * len(sectors) + 4.5),
                                    0.5 * len(rows) + 3.2), layout="constrained")
    for y, r in enumerate(rows.itertuples()):
        mine = matrix[matrix["region"].astype(str) == r.region]
        for s in mine.itertuples():
            x = sectors.index(str(s.sector))
            grade = s.grade if s.grade in GRADE_FILL else None
            ax.add_patch(Rectangle((x - 0.45, y - 0.4), 0.9, 0.8,
                                   facecolor=GRADE_FILL.get(grade or "", "#EEEEEE"),
                                   edgecolor="white"))
            ax.text(x, y, grade or "?", ha="center", va="center", fontsize=9,
                    color=GRADE_TEXT.get(grade or "", "black"))
        if r.region == region:
            ax.add_patch(Rectangle((-0.5, y - 0.5), len(sectors), 1, fill=False,
                                   edgecolor=HIGHLIGHT, lw=2))
    ax.set_xlim(-0.5, len(sectors) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xticks(range(len(sectors)),
                  [textwrap.fill(s, 11, break_long_words=False) for s in sectors], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)),
                  [row_label(r.region, r.period, r.scope) for r in rows.itertuples()],
                  fontsize=9)
    for tick, r in zip(ax.get_yticklabels(), rows.itertuples(), strict=True):
        if r.region == region:
            tick.set_fontweight("bold")
            tick.set_color(HIGHLIGHT)
    ax.grid(False)
    ax.set_xlabel("sector named by at least one theme label (keyword-based)")
    ax.set_ylabel("region (latest strategy period in data/)")
    ax.set_title(f"{region} among the regions' smart-specialisation priorities", loc="left")
    ax.legend(handles=[Patch(facecolor=GRADE_FILL[g], label=f"{g}: {GRADE_MEANING[g]}")
                       for g in GRADES], title="grade of the best source behind a cell",
              loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, frameon=False,
              fontsize=8.5, title_fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig
