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
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .errors import ParameterError
from .funding import pct

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
                         highlight: str = HIGHLIGHT) -> Figure:
    """Survey-wide counts (or shares) of cities funding each activity, the city's own highlighted.

    ``values``: activity, cities, city_funds, value, sorted (as from ``funding.activity_values``).
    """
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
    ax.set_xlim(0, top * 1.3)
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
              ncol=len(handles), frameon=False, fontsize=9.5)
    add_note(fig, note)
    return fig


def funding_levels_dots(levels: pd.DataFrame, note: str, highlight: str = HIGHLIGHT) -> Figure:
    """Which funding levels appear at the city and at the region, on one common scale.

    ``levels``: common_level (ordered categorical), scale ("city" or "region"), name, n (as from
    ``funding.levels_side_by_side``). A filled dot with its count where a level appears.
    """
    order = list(levels["common_level"].cat.categories)
    scales = ["city", "region"]
    colour = {"city": highlight, "region": PALETTE[1]}
    unit = {"city": "source", "region": "instrument"}
    fig, ax = plt.subplots(figsize=(8.5, 1.6 + 0.55 * len(order)), layout="constrained")
    for r in levels.itertuples():
        x, y = scales.index(r.scale), order.index(r.common_level)
        if r.n > 0:
            ax.scatter(x, y, s=260, color=colour[r.scale], zorder=3)
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
    ax.set_title("Funding levels at the city and the region (filled: the level appears)",
                 pad=12)
    add_note(fig, note)
    return fig
