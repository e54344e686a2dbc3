"""Figures of notebook 04 (a city among its peer cities): which sections each page gives, the
options each city chose, peers' shares beside the survey's, roles, team staff and similarity.

Drawing only; the frames come from :mod:`city_innovation.analysis.peers`. The chosen city is
highlighted in every figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..analysis.peers import ABSENT, NOT_APPLICABLE, PRESENT
from ..data import Absent
from ..present.palette import CONTEXT, HIGHLIGHT, PALETTE
from ._base import dot, legend_above, legend_below, mark_city, wrap

#: Fill of a city x section cell by whether the page gives the section.
COVERAGE_COLOURS = {PRESENT: PALETTE[1], ABSENT: "#E4E4E4", NOT_APPLICABLE: "#FFFFFF"}


def coverage_chart(cov: pd.DataFrame, *, city: str, note: str | None = None,
                   highlight: str = HIGHLIGHT) -> Figure:
    """City x section: data present (filled), absent from the page (grey), not applicable."""
    cities = list(dict.fromkeys(cov["city"]))
    sections = list(cov["section"].cat.categories)
    fig, ax = plt.subplots(figsize=(11, 0.36 * len(cities) + 3.4))
    fig.subplots_adjust(bottom=2.2 / fig.get_figheight())
    for _, row in cov.iterrows():
        x, y = sections.index(row["section"]), cities.index(row["city"])
        na = row["status"] == NOT_APPLICABLE
        ax.add_patch(Rectangle((x - 0.45, y - 0.4), 0.9, 0.8, facecolor=COVERAGE_COLOURS[
            row["status"]], edgecolor="#B0B0B0" if na else "white", hatch="//" if na else None))
    ax.set_xlim(-0.6, len(sections) - 0.4)
    ax.set_ylim(len(cities) - 0.5, -0.5)
    ax.set_xticks(range(len(sections)), sections, rotation=45, ha="right")
    ax.set_yticks(range(len(cities)), cities)
    mark_city(ax.get_yticklabels(), city, highlight)
    ax.grid(False)
    ax.set_title("Which sections each city's profile page gives", pad=22)
    ax.set_xlabel("section of the profile (in page order)")
    ax.set_ylabel("city")
    handles = [Patch(facecolor=c, edgecolor="#B0B0B0", label=s,
                     hatch="//" if s == NOT_APPLICABLE else None)
               for s, c in COVERAGE_COLOURS.items()]
    return legend_above(fig, ax, handles, note)


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
    mark_city(ax.get_xticklabels(), city, highlight)
    ax.set_yticks(range(len(options_)), [wrap(o, 34) for o in options_])
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
    handles = [dot(PALETTE[1], "chosen"), dot(PALETTE[1], "not chosen", hollow=True),
               dot(highlight, f"{city} (its choices; dot left of a bar)")]
    return legend_above(fig, ax, handles, note)


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
               dot(PALETTE[1], "survey-wide (benchmarks)", marker="D")]
    return legend_above(fig, ax, handles, note)


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
    mark_city(ax.get_yticklabels(), city, highlight)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(left=-0.5)
    ax.set_xlabel("number of innovation roles")
    ax.set_title("Innovation roles: stated vs listed", pad=22)
    handles = [dot(PALETTE[1], "listed"),
               dot(PALETTE[1], "stated (filled where equal to listed)", hollow=True,
                    marker="D")]
    return legend_above(fig, ax, handles, note)


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
    mark_city(ax.get_yticklabels(), city, highlight)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("staff (log scale)")
    ax.set_title("Innovation team staff")
    bx.set_xlabel("staff per 100,000 inhabitants")
    bx.set_title("per 100,000 inhabitants", fontsize=11)
    handles = [dot(PALETTE[1], "one figure for the team"),
               dot(PALETTE[1], "sum of named teams (not stated as one figure)", hollow=True),
               dot(PALETTE[1], "lower bound (more than)", marker=">")]
    return legend_below(fig, ax, handles, note, below=4.2)


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
    return legend_below(fig, ax, [], note)
