"""Figures of notebook 03 (a region's smart-specialisation themes): the strategy periods, the
lineage of themes across periods, similarity heatmaps, focus-area and crosswalk matrices, and
the region among the other regions' priorities (a region x sector grid).

Drawing only; the frames come from :mod:`city_innovation.analysis.themes` and
:mod:`city_innovation.analysis.regions`. Colours and labels are keyed on the categories those
modules define.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from ..analysis.regions import GRADES, SECTORS
from ..analysis.themes import (
    CARRIED_OVER,
    FIRST_PERIOD,
    IMPLIED,
    JACCARD,
    NEW,
    SAME_NAME,
    STATED,
    TFIDF,
)
from ..data import Absent
from ..present.palette import CONTEXT, HIGHLIGHT, PALETTE
from ._base import wrap_words
from .theme import add_note

#: Colour and legend label of a documented link, by its basis.
LINK_COLOURS = {STATED: PALETTE[1], SAME_NAME: PALETTE[4], IMPLIED: PALETTE[5]}
LINK_LABELS = {STATED: "documented: stated in a source",
               SAME_NAME: "documented: same name in both periods",
               IMPLIED: "documented: implied, not stated"}
#: Outline of a link inferred from text similarity.
INFERRED_COLOUR = PALETTE[0]
#: How each similarity method is named in titles and legends.
METHOD_LABELS = {TFIDF: "TF-IDF cosine similarity of summary and focus areas",
                 JACCARD: "Jaccard similarity of focus-area terms"}
#: Colour and legend label of a focus-area term, by its status in a period.
FOCUS_COLOURS = {FIRST_PERIOD: CONTEXT, NEW: PALETTE[3], CARRIED_OVER: PALETTE[1]}
FOCUS_LABELS = {FIRST_PERIOD: "in the first period shown", NEW: "new in this period",
                CARRIED_OVER: "carried over from the previous period"}


def period_timeline(periods: pd.DataFrame, *, note: str | None = None) -> Figure:
    """Strategy periods as bars over the years, with approval years and numbers of themes."""
    n = len(periods)
    fig, ax = plt.subplots(figsize=(10, 1.1 + 0.8 * n))
    for i, p in enumerate(periods.itertuples()):
        ax.barh(i, p.end + 1 - p.start, left=p.start, height=0.55, color=PALETTE[1], alpha=0.85)
        count = f"{p.n_themes} {p.theme_word}{'s' if p.n_themes != 1 else ''}"
        name = f"{p.name}: " if isinstance(p.name, str) else ""
        ax.text(p.end + 1.2, i, f"{name}{count}", va="center", ha="left", fontsize=9.5)
        if pd.notna(p.approved_year):
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


def _band(x0: float, x1: float, a0: float, a1: float, b0: float, b1: float) -> MplPath:
    """Closed path of a band from (x0, a0..a1) to (x1, b0..b1) with smooth edges."""
    xm = (x0 + x1) / 2
    verts = [(x0, a0), (xm, a0), (xm, b0), (x1, b0), (x1, b1), (xm, b1), (xm, a1), (x0, a1),
             (x0, a0)]
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def lineage_flow(nodes: pd.DataFrame, bands: pd.DataFrame, periods: pd.DataFrame,
                 threshold: float, method: str, *, note: str | None = None) -> Figure:
    """Alluvial view of theme lineage: period columns, theme boxes, link bands.

    ``nodes`` and ``bands`` come from ``themes.flow_data``; ``periods`` from
    ``themes.period_table``. Documented links are filled bands coloured by their basis;
    links inferred from text similarity have a dashed outline (both where the two agree).
    """
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
        ax.text(n.column, (n.y0 + n.y1) / 2, wrap_words(n.theme, 24 if long else 14),
                ha="center", va="center", fontsize=7.5 if long else 9.5, zorder=4)
    headers = [(wrap_words(p.name, 26) + "\n" if isinstance(p.name, str) else "")
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


def similarity_heatmaps(scores: pd.DataFrame, comparison: pd.DataFrame, threshold: float,
                        method: str, *, note: str | None = None) -> Figure:
    """One heatmap per consecutive period pair: similarity of each theme to the next ones.

    Cells with a documented link get a solid blue frame, cells at or above the threshold a
    dashed frame (the inferred links).
    """
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
                                           edgecolor=LINK_COLOURS[STATED], linewidth=2.4))
                if grid.iat[i, j] >= threshold:
                    ax.add_patch(Rectangle((j + 0.14, i + 0.14), 0.72, 0.72, fill=False,
                                           edgecolor=INFERRED_COLOUR, linewidth=1.8,
                                           linestyle=(0, (3, 2))))
        ax.set_yticks([i + 0.5 for i in range(len(grid.index))],
                      [wrap_words(names[t], 22) for t in grid.index], rotation=0, fontsize=9)
        ax.set_xticks([j + 0.5 for j in range(len(grid.columns))],
                      [wrap_words(names[t], 14) for t in grid.columns], rotation=0, fontsize=9)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_ylabel(f"theme in {a}")
        ax.set_xlabel(f"theme in {b}")
        ax.set_title(f"{a} → {b}", pad=8, loc="left")
    handles = [Line2D([], [], color=LINK_COLOURS[STATED], lw=2.4,
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


def focus_matrix(status: pd.DataFrame, themes: pd.DataFrame, *,
                 note: str | None = None) -> Figure:
    """Theme x focus-area matrix: which canonical terms appear, persist and disappear.

    ``status`` comes from ``themes.focus_status``; ``themes`` gives the column order. A term
    marked * joins several raw wordings (``merged``; see ``themes.term_mapping``).
    """
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
    ax.set_xticks(range(len(cols)), [wrap_words(n, 14) for n in themes["theme"]], rotation=60,
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


def crosswalk_matrix(cross: pd.DataFrame, *, note: str | None = None) -> Figure | Absent:
    """Region themes against the city's policy areas and activities: shared keyword topics.

    Without city items there is nothing to draw: the sentence saying so is returned.
    """
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
                  [f"{wrap_words(t.theme, 24)} ({t.period})" for t in themes.itertuples()],
                  rotation=0, fontsize=9)
    ax.set_xticks(np.arange(len(items)) + 0.5,
                  [f"{k}:\n{wrap_words(i, 18)}" for k, i in items.itertuples(index=False)],
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


#: Fill of a cell by the grade of its best source: darker is more authoritative (one hue, so
#: the order reads without colour vision; the letter is printed in every cell too).
GRADE_FILL = dict(zip(GRADES, ["#08519C", "#4A8BC4", "#9CC3E4", "#DCEAF6"], strict=True))
GRADE_TEXT = dict(zip(GRADES, ["white", "white", "black", "black"], strict=True))
GRADE_MEANING = dict(zip(GRADES, ["European Commission or JRC page",
                                  "the region's or city's own page",
                                  "copy of the strategy document", "secondary source"],
                         strict=True))


def row_label(region: str, period: str, scope: str) -> str:
    """A row's label: the region, its period, and "national strategy" for a stand-in."""
    return f"{region} ({'national strategy, ' if scope == 'national' else ''}{period})"


def sector_grid(matrix: pd.DataFrame, labels: pd.DataFrame, region: str, *,
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
