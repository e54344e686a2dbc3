"""The region's funding instruments, for notebook 02's section on instruments per theme.

:func:`instrument_matrix` pairs every theme of the periods whose themes name instruments with
every instrument named (one tidy row per pair); the other functions count, word, title and
annotate that matrix for the heatmap. The level vocabulary and the region's funding fields are
:mod:`.funding`'s, which the city-and-region comparison shares.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from ..present import notes
from ..store.flags import ids_on
from ..store.models import Region
from .funding import REGION_FUNDING_FIELDS, REGION_LEVELS


def instrument_matrix(r: Region) -> pd.DataFrame:
    """Theme x instrument, one tidy row per pair, for the periods whose themes name instruments.

    Columns: period, theme, instrument, level, kind, used (bool), note, n_themes (how many
    themes of those periods name the instrument). Themes keep period order; instruments are
    grouped by level (the data model's order) and keep file order within a level.
    """
    cols = ["period", "theme", "instrument", "level", "kind", "used", "note", "n_themes"]
    uses = data.instruments(r)
    if uses.empty:
        out = pd.DataFrame([], columns=cols)
        for c in ("theme", "instrument", "level"):
            out[c] = pd.Categorical([], categories=REGION_LEVELS if c == "level" else [])
        return out
    themes = data.themes(r)
    themes = themes[themes["period"].isin(set(uses["period"]))]
    listed = {u: i for i, u in enumerate(uses["instrument_id"].unique())}
    insts = sorted((i for i in r.instruments if i.id in listed),
                   key=lambda i: (REGION_LEVELS.index(i.level), [x.id for x in r.instruments]
                                  .index(i.id)))
    note = {(u.theme_id, u.instrument_id): u.note for u in uses.itertuples()}
    n_themes = uses.groupby("instrument_id")["theme_id"].nunique()
    rows = [{"period": str(t.period), "theme": t.theme, "instrument": i.name, "level": i.level,
             "kind": i.kind, "used": (t.theme_id, i.id) in note,
             "note": note.get((t.theme_id, i.id)), "n_themes": int(n_themes[i.id])}
            for t in themes.itertuples() for i in insts]
    out = pd.DataFrame(rows, columns=cols)
    out["theme"] = pd.Categorical(out["theme"], categories=list(themes["theme"]), ordered=True)
    out["instrument"] = pd.Categorical(out["instrument"], categories=[i.name for i in insts],
                                       ordered=True)
    out["level"] = pd.Categorical(out["level"], categories=REGION_LEVELS, ordered=True)
    return out


def instrument_counts(matrix: pd.DataFrame) -> dict[str, int]:
    """Distinct instruments of the matrix per kind ("funding", "network")."""
    kinds = matrix.drop_duplicates("instrument")["kind"]
    return {str(k): int(n) for k, n in kinds.value_counts(sort=False).items()}


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a wide 0/1 table: rows (level, instrument), columns themes."""
    wide = matrix.pivot_table(index=["level", "instrument"], columns="theme", values="used",
                              aggfunc="max", observed=True)
    return wide.astype(int)


def recurring_instruments(matrix: pd.DataFrame) -> pd.DataFrame:
    """Instruments named for more than one theme, most shared first."""
    used = matrix[matrix["used"]]
    per = (used.groupby("instrument", observed=True)
           .agg(level=("level", "first"), n_themes=("theme", "nunique"),
                themes=("theme", lambda s: ", ".join(map(str, s))))
           .reset_index())
    per = per[per["n_themes"] > 1]
    return per.sort_values(["n_themes", "instrument"], ascending=[False, True]) \
        .reset_index(drop=True)


def levels_per_theme(matrix: pd.DataFrame) -> pd.DataFrame:
    """How many themes name at least one instrument of each level (network kinds excluded)."""
    used = matrix[matrix["used"] & (matrix["kind"] == "funding")]
    out = used.groupby("level", observed=False)["theme"].nunique().rename("themes")
    return out.reset_index()


def theme_word(r: Region, matrix: pd.DataFrame) -> str:
    """What the region calls its themes in the periods of the matrix ("theme", "spearhead")."""
    words = {p.theme_word for p in r.periods if p.id in set(matrix["period"])}
    return words.pop() if len(words) == 1 else "theme"


def matrix_title(r: Region, matrix: pd.DataFrame) -> str:
    """The heatmap title: instruments per theme word, with the period(s) shown."""
    periods = ", ".join(p.id for p in r.periods if p.id in set(matrix["period"]))
    return f"{r.region}: funding instruments per {theme_word(r, matrix)}, {periods}"


def describe_matrix(matrix: pd.DataFrame, theme_word: str = "theme",
                    r: Region | None = None) -> str:
    """Sentences: the periods covered, how many themes name how many funding instruments and
    networks, by level, and which instruments recur.

    With the region ``r``, the periods whose themes name no instrument are said too.
    """
    if matrix.empty:
        return "The region names no funding instruments."
    n_themes = matrix["theme"].nunique()
    shown = list(dict.fromkeys(matrix["period"]))
    text = f"Instruments are named for period {', '.join(shown)}"
    others = [] if r is None else [x.id for x in r.periods if x.id not in shown]
    text += (f" only ({', '.join(others)}: none named). " if others else ". ")
    insts = matrix.drop_duplicates("instrument")
    funds = insts[insts["kind"] == "funding"]
    by_level = funds.groupby("level", observed=True).size()
    levels = ", ".join(f"{n} {lv}" for lv, n in by_level.items())
    nets = insts[insts["kind"] == "network"]
    text += f"{n_themes} {theme_word}s name {len(funds)} funding instruments ({levels})"
    text += (f" + {len(nets)} network{'s' if len(nets) > 1 else ''} "
             f"({', '.join(map(str, nets['instrument']))})." if len(nets) else ".")
    rec = recurring_instruments(matrix)
    if rec.empty:
        text += f" No instrument is named by more than one {theme_word}."
    else:
        text += " Named by several: " + "; ".join(
            f"{r.instrument} ({r.n_themes} {theme_word}s)" for r in rec.itertuples()) + "."
    lv = levels_per_theme(matrix)
    lv = lv[lv["themes"] > 0]
    text += (f" {theme_word.capitalize()}s naming at least one funding instrument of each "
             "level: " + ", ".join(f"{r.level} {r.themes} of {n_themes}"
                                   for r in lv.itertuples()) + ".")
    return text


def instrument_markers(matrix: pd.DataFrame) -> dict[tuple[str, str], str]:
    """A letter for every (theme, instrument) pair that carries a note, in matrix order."""
    noted = matrix[matrix["used"] & matrix["note"].notna()].sort_values(["instrument", "theme"])
    return {(str(r.theme), str(r.instrument)): chr(ord("a") + k)
            for k, r in enumerate(noted.itertuples())}


def matrix_note(r: Region, matrix: pd.DataFrame, theme_word: str = "theme") -> str:
    """The heatmap note: source, marked cells, networks, and the region's instrument flags."""
    uses = data.instruments(r)
    parts = [f"A filled cell: the {theme_word} names the instrument."]
    note = {(str(r.theme), str(r.instrument)): r.note for r in matrix.itertuples()}
    parts += [f"({m}) {theme} x {inst}: {note[(theme, inst)]}."
              for (theme, inst), m in instrument_markers(matrix).items()]
    networks = list(dict.fromkeys(matrix.loc[matrix["kind"] == "network", "instrument"]))
    if networks:
        parts.append(f"Hatched: a network, not a funding source ({', '.join(map(str, networks))}).")
    parts += overlap_notes(r, matrix)
    return notes.figure_note(uses["source"], parts, ids_on(r, REGION_FUNDING_FIELDS))


def overlap_notes(r: Region, matrix: pd.DataFrame) -> list[str]:
    """Per level, a sentence when its instrument names overlap (an instrument's ``overlaps`` in
    the region's file: with one other instrument, or with any other of its level)."""
    shown = set(matrix.loc[matrix["kind"] == "funding", "instrument"].astype(str))
    insts = [i for i in r.instruments if i.name in shown and i.kind == "funding"]
    out = []
    for level in REGION_LEVELS:
        here = [i for i in insts if i.level == level]
        ids = {i.id for i in here}
        why = [f"{i.name} {i.overlaps.why}" for i in here if i.overlaps
               and (i.overlaps.other in ids if i.overlaps.other else len(ids) > 1)]
        if why:
            out.append(f"The {len(ids)} {level} instruments overlap ({'; '.join(why)}): "
                       "they count names in the text, not distinct funds.")
    return out
