"""Figures of notebook 05 (a region's 2030 targets): each target's road, emissions with the
neutrality years, and the region among Europe's NUTS 2 regions (distribution, top regions, peers).

Drawing only; the frames come from :mod:`city_innovation.analysis.targets`. A missing year
always breaks a line: no gap is bridged.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, MultipleLocator

from ..analysis.regions import EU_AREA
from ..analysis.targets import NOT_MET
from ..present.palette import CONTEXT, HIGHLIGHT, PALETTE
from ._base import MUTED, dot, wrap
from .theme import add_note

#: Colours of a target's series: the region's own first, other areas and age bands after.
SERIES_COLOURS = [PALETTE[1], PALETTE[2], PALETTE[5], PALETTE[3], PALETTE[4], PALETTE[7]]


def year_runs(years: list[int], values: list[float]) -> list[tuple[list[int], list[float]]]:
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
    """One observed series: a line per run of consecutive years, hollow dashes for another area."""
    for ys, vs in year_runs(years, values):
        ax.plot(ys, vs, color=colour, lw=lw, marker="o", markersize=5.5, zorder=zorder,
                markerfacecolor="white" if hollow else colour, markeredgecolor=colour,
                linestyle="--" if hollow else "-")


def target_progress(series: pd.DataFrame, progress: pd.DataFrame, target: pd.Series,
                    *, note: str | None = None) -> Figure:
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
        handles.append(dot(colour, wrap(name + (" (other area or age band)" if other else ""),
                                          44), hollow=other))
        row = progress[progress["series"] == name]
        if row.empty:
            continue
        r = row.iloc[0]
        ly, lv = int(r["latest_year"]), float(r["latest_value"])
        if r["status"] == NOT_MET and pd.notna(r["required_per_year"]):
            ax.plot([ly, year], [lv, goal], color=colour, lw=1.2, linestyle=":")
        if pd.notna(r["projected"]):
            ax.plot([ly, year], [lv, float(r["projected"])], color=colour, lw=1.2,
                    linestyle="-.")
            ax.annotate(f"{r['projected']:.2f} at the {int(r['projected_from'])}-{ly} pace",
                        (year, float(r["projected"])), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=8.5, color=colour)
        if i == 0:
            ax.annotate("", (ly, goal), (ly, lv), arrowprops={"arrowstyle": "->",
                                                              "color": MUTED, "lw": 1})
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
    ax.set_title(wrap(f"{target['wording']}: observed values and the road to {year}", 70))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig


def emissions_and_years(series: pd.DataFrame, years: pd.DataFrame, region: str, *,
                        note: str | None = None) -> Figure:
    """Greenhouse-gas emissions by area (never merged) with every neutrality year in data/.

    ``years``: who, year, what, source (as from ``targets.neutrality_years``): one vertical line
    per who and year - the region's solid, the EU's dotted, the city's dashed - each labelled
    "who year" at its top, the labels stepped down so that near years do not overprint (the
    sources are in the note and the table beside the figure). Year ticks every 2, 5 or 10 years.
    """
    fig, ax = plt.subplots(figsize=(9.5, 5.6), layout="constrained")
    handles: list[Line2D] = []
    for i, (name, one) in enumerate(series.groupby("series", sort=False)):
        colour = SERIES_COLOURS[(i + 1) % len(SERIES_COLOURS)]
        other = not bool(one["same_area"].all())
        _observed(ax, one["year"].tolist(), one["value"].tolist(), colour, hollow=other)
        handles.append(dot(colour, wrap(name, 60), hollow=other))
    top = float(series["value"].max()) * 1.3 if len(series) else 1.0
    styles: dict[str, tuple[str, str]] = {}
    for who in dict.fromkeys(years["who"]):
        kind = "region" if who == region else "EU" if who == EU_AREA else "city"
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
                        label: str, year: int, names: dict[str, str], *,
                        note: str | None = None) -> Figure:
    """All regions' values of one series in one year, the region highlighted, peers marked.

    ``table``: region_code, value, rank, of (as from ``targets.ranking``); ``names`` maps a code
    to the name shown.
    """
    fig, ax = plt.subplots(figsize=(9.5, 4.8), layout="constrained")
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
    ax.set_title(wrap(f"{names.get(region_code, region_code)} among Europe's NUTS 2 regions, "
                       f"{year}", 70))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig


def top_regions(table: pd.DataFrame, region_code: str, label: str, year: int,
                names: dict[str, str], n: int = 10, *, note: str | None = None) -> Figure:
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
    ax.set_title(wrap(f"The {n} highest NUTS 2 regions, {year} (of {len(table)} with a value)",
                       70))
    ax.grid(axis="y", visible=False)
    if note:
        add_note(fig, note)
    return fig


def peer_lines(lines: pd.DataFrame, region_code: str, label: str, names: dict[str, str], *,
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
    ax.set_title(wrap(f"{names.get(region_code, region_code)} and its peer regions over time",
                       70))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=4,
              frameon=False, fontsize=8.5)
    if note:
        add_note(fig, note)
    return fig
