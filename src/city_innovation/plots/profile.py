"""Figures of notebook 01 (a city's innovation profile): strategy shares, innovation roles, data
availability and the city's own activities, each beside the survey.

Drawing only; the frames come from :mod:`city_innovation.analysis.profile`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..analysis.profile import CITY_ONLY, MATCHED, SURVEY_ONLY
from ..data import Absent
from ..present.palette import CONTEXT, HIGHLIGHT
from ._base import INK, MUTED, dot, legend_below, no_figures, wrap


def _base_text(row: pd.Series) -> str:
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
            no_figures(ax, "No survey-wide strategy figures for the rounds shown")
            continue
        answer = rows["city_answer"].iloc[0]
        ax.set_title(wrap(f"{str(q).capitalize()}: {city} answers \u201c{answer}\u201d", 80),
                     fontsize=11)
        for y, r in rows.iterrows():
            colour = highlight if r["matches_city"] else CONTEXT
            maybe = bool(r.get("may_include_city", False))
            if pd.isna(r["value"]):
                ax.text(1, y, f"\u201c{r['wording']}\u201d (given in words only)", va="center",
                        style="italic", fontsize=9, color=colour if r["matches_city"] else INK)
            else:
                ax.barh(y, r["value"], height=0.6, color=colour, **(
                    {"facecolor": "white", "edgecolor": highlight, "hatch": "///",
                     "linewidth": 1.2} if maybe else {}))
                ax.text(r["value"] + 1, y, f"{r['value']:g}%", va="center", fontsize=9,
                        color=INK)
        ax.set_yticks(range(len(rows)),
                      [f"{wrap(r['item'])}\n{r['survey_round']} \u00b7 {_base_text(r)}"
                       for _, r in rows.iterrows()], fontsize=9)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
    last = axes[-1, 0]
    last.set_xlim(0, 100)
    last.set_xlabel("Share of cities surveyed (%)")
    fig.suptitle(f"Strategy and approach: {city} beside the survey", x=0.01, ha="left",
                 fontweight="bold")
    handles = [dot(highlight, f"describes {city}'s answer", marker="s"),
               dot(CONTEXT, "other answers", marker="s")]
    if shares.get("may_include_city", pd.Series(dtype=bool)).any():
        handles.insert(1, Patch(facecolor="white", edgecolor=highlight, hatch="///",
                                label=f"may include {city}'s answer (see note)"))
    return legend_below(fig, last, handles, note)


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
        if r["status"] == CITY_ONLY:
            labels.append(f"{wrap(r['label'], 40)}\n({city} only)")
            texts.append(f"listed by {city}{status}; no survey figure in the rounds shown")
            continue
        label = f"{wrap(r['label'], 40)}\n{r['survey_round']} \u00b7 {_base_text(r)}"
        if r["status"] == MATCHED:
            label += "\n" + wrap(f"{city}: {r['city_label']}{status}", 40)
        labels.append(label)
        texts.append(f"{r['value']:g}%")
    heights = [max(label.count("\n") + 1, 2) for label in labels]
    ys = [sum(heights[:i]) + h / 2 for i, h in enumerate(heights)]
    fig, ax = plt.subplots(figsize=(9.5, 1.9 + 0.2 * max(sum(heights), 2)), layout="constrained")
    for y, text, (_, r) in zip(ys, texts, shares.iterrows(), strict=True):
        if r["status"] == CITY_ONLY:
            ax.text(1, y, text, va="center", style="italic", fontsize=9, color=INK)
            continue
        colour = highlight if r["status"] == MATCHED else CONTEXT
        marker, hollow = _status_marker(r["city_status"] if r["status"] == MATCHED else None)
        ax.hlines(y, 0, r["value"], color=colour, linewidth=2 if not hollow else 1.5,
                  linestyles="dashed" if hollow else "solid")
        ax.plot(r["value"], y, marker, color=colour, markersize=9, markeredgewidth=2,
                markerfacecolor="white" if hollow else colour)
        ax.text(r["value"] + 2, y, text, va="center", fontsize=9, color=INK)
    if shares.empty:
        no_figures(ax, f"No survey-wide figures and no {what}s of {city}")
    else:
        ax.set_yticks(ys, labels, fontsize=9)
        ax.set_ylim(sum(heights), 0)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, 105)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(xlabel)
    if not (shares["status"] != CITY_ONLY).any():
        title += " (no survey-wide figures in the rounds shown)"
    ax.set_title(wrap(title, 75))
    matched = shares.loc[shares["status"] == MATCHED, "city_status"]
    handles = []
    for status in dict.fromkeys(matched.where(matched.notna(), None)):
        marker, hollow = _status_marker(status)
        label = (f"{city} lists a matching {what}" if status is None
                 else f"{city} lists the {what} (data status {status})")
        handles.append(dot(highlight, label, hollow=hollow, marker=marker))
    if (shares["status"] == SURVEY_ONLY).any():
        handles.append(dot(CONTEXT, f"{city} lists no matching {what}"))
    return legend_below(fig, ax, handles, note)


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
        ax.text(0.67, y, wrap(f"{r['rank']}. {r['option']}", 42), va="center", fontsize=10,
                color=INK if mine else MUTED)
        if mine:
            yl = left[r["rank"]]
            ax.plot([0.36, 0.64], [yl, y], color=highlight, linewidth=2)
            ax.plot(0.36, yl, "o", markersize=9, color=highlight)
            ax.text(0.33, yl, wrap(r["city_activity"], 40), va="center", ha="right",
                    fontsize=10, color=INK)
    if m == 0:
        ax.text(0.33, (n - 1) / 2, f"{city} lists no activities of its own", ha="right",
                va="center", color=MUTED)
    ax.text(0.33, -0.9, f"{city}'s own activities\n(its wording)", ha="right", va="center",
            fontsize=10, fontweight="bold")
    ax.text(0.67, -0.9, f"The {len(links)} numbered options\n(as printed on the profile)",
            ha="left", va="center", fontsize=10, fontweight="bold")
    ax.set_title(wrap(f"Innovation activities: {city}'s own list and the numbered options "
                       "it matches", 90))
    return legend_below(fig, ax, [dot(highlight, f"option matched by one of {city}'s activities"),
                             dot(CONTEXT, "option not among them", hollow=True)], note,
                   below=0.5)
