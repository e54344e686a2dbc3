"""Specialisation themes across strategy periods: selection, lineage, focus areas, crosswalks.

Lineage comes in two kinds. *Documented* links are the lineage edges in ``data/`` (with their
basis: stated in a source, same name, or implied). *Inferred* links come from the text of each
theme (summary and focus areas, never its name) compared with every theme of the next period,
so a same-name link found by the text is independent evidence. Everything here is deterministic:
the same data and parameters give the same tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from ..errors import ParameterError
from ..present import notes
from ..present.fmt import counted
from ..store.flags import matches, on_field
from .similarity import jaccard

#: Methods of inferring links from text: TF-IDF cosine similarity, Jaccard index of terms.
TFIDF = "tfidf"
JACCARD = "jaccard"
METHODS = (TFIDF, JACCARD)
#: Bases of documented links, strongest first; a chain of links is as weak as its weakest.
STATED = "stated"
SAME_NAME = "same-name"
IMPLIED = "implied"
BASES = (STATED, SAME_NAME, IMPLIED)
#: Status of a focus-area term in a period (``focus_status``).
FIRST_PERIOD = "first period"
NEW = "new"
CARRIED_OVER = "carried over"
FOCUS_STATUSES = (FIRST_PERIOD, NEW, CARRIED_OVER)
STATUSES = ("agree", "documented only", "inferred only")
#: Shown instead of a count of changes where there is no previous period to compare with.
NO_CHANGE = "–"

#: Focus-area terms that name the same thing in different words, mapped to one canonical term.
#: Terms not listed are their own canonical term; the raw terms stay in ``focus_terms``.
CANONICAL_TERMS: dict[str, str] = {
    "internet of things": "IoT",
    "industrial internet of things": "IoT",
    "industrial internet": "IoT",
    "clean technology": "cleantech",
    "consumer cleantech": "cleantech",
    "carbon footprint reduction": "emission reduction",
    "open urban development": "urban development",
    "urban planning": "urban development",
    "healthcare": "health care",
    "preventive healthcare": "health care",
    "big data": "data",
    "data utilisation": "data",
    "open data": "data",
    "hydrogen technology": "hydrogen",
}

#: Topics of the crosswalk and the keywords that reveal them ("*" stands for any word ending).
TOPICS: dict[str, tuple[str, ...]] = {
    "climate & energy": ("climate", "carbon", "emission*", "energy", "clean*", "hydrogen"),
    "resources": ("circular", "bioeconomy", "resource*", "material*", "recycl*"),
    "mobility": ("mobility", "transport*", "vehicle*", "logistic*", "travel"),
    "health & care": ("health*", "medicine", "care", "wellness", "ageing", "aged"),
    "data": ("data",),
    "digital": ("digital*", "internet", "sensor*", "drone*", "robotic*", "cyber*"),
    "citizens": ("citizen*", "resident*", "user*", "participation", "co-creat*", "engag*",
                 "human-cent*"),
    "urban": ("urban", "housing", "built environment", "infrastructure", "district*"),
    "testing": ("test*", "pilot*", "prototyp*", "living lab*", "real-life", "experiment*"),
    "industry": ("industr*", "business*", "firm*", "compan*", "value chain*"),
    "procurement": ("procurement", "contracting"),
    "partnerships": ("partnership*", "financing", "collaboration"),
    "organisation": ("organi*", "staff", "training", "capacity"),
}


# --- periods ----------------------------------------------------------------------------------


def select_periods(themes: pd.DataFrame, periods: Sequence[str] | None) -> pd.DataFrame:
    """The themes of ``periods`` (all when None), whose period order must follow the data's.

    The ``period`` column stays categorical, restricted to the chosen periods in order.
    """
    order = list(themes["period"].cat.categories)
    chosen = order if periods is None else list(periods)
    unknown = [p for p in chosen if p not in order]
    if unknown:
        raise ParameterError(f"parameter periods: unknown period(s) {unknown} (allowed: {order})")
    if len(set(chosen)) != len(chosen) or sorted(chosen, key=order.index) != chosen:
        raise ParameterError(f"parameter periods: {chosen} must be distinct and in chronological "
                             f"order (as in {order})")
    out = themes[themes["period"].isin(chosen)].copy()
    out["period"] = out["period"].cat.set_categories(chosen, ordered=True)
    return out.sort_values(["period", "order"], kind="stable").reset_index(drop=True)


def period_pairs(periods: Sequence[str]) -> list[tuple[str, str]]:
    """Consecutive pairs of the chosen periods: lineage is traced from each to the next."""
    return list(zip(periods[:-1], periods[1:], strict=True))


def period_table(periods: pd.DataFrame, chosen: Sequence[str]) -> pd.DataFrame:
    """The rows of ``data.periods`` for the chosen periods, in their order."""
    out = periods.set_index("period").loc[list(chosen)].reset_index()
    out["approved_year"] = out["approved_year"].astype("Int64")
    return out


def timeline_text(periods: pd.DataFrame, terms: pd.DataFrame | None = None) -> str:
    """One sentence: how many themes each chosen period had.

    With ``terms`` (from ``focus_terms``), a second sentence counts the canonical focus-area
    terms per period: fewer themes need not mean a narrower focus.
    """
    parts = [f"{row.period}: {row.n_themes} {row.theme_word}{'s' if row.n_themes != 1 else ''}"
             for row in periods.itertuples()]
    counts = " -> ".join(str(n) for n in periods["n_themes"])
    text = f"Themes per period ({counts}): " + "; ".join(parts) + "."
    if terms is not None:
        per = [terms.loc[terms["period"] == p, "term"].nunique() for p in periods["period"]]
        text += (" Canonical focus-area terms per period (section 5): "
                 + " -> ".join(str(n) for n in per) + ".")
    return text


def overlap_text(periods: pd.DataFrame, flags: pd.DataFrame) -> str:
    """Which chosen period starts before the previous one ends, and how the notebook reads it.

    The sources do not say that a later, overlapping period replaced the earlier themes; the
    analysis treats it as a successor. ``flags`` on the ``periods`` section itself are cited.
    """
    rows = list(periods.itertuples())
    overlaps = [(a, b) for a, b in zip(rows[:-1], rows[1:], strict=True) if b.start <= a.end]
    if not overlaps:
        return "No chosen period starts before the previous one ends."
    ids = ", ".join(flags.loc[flags["field"] == "periods", "flag_id"])
    cite = f"; flag {ids}" if ids else ""
    return " ".join(f"{b.period} starts in {b.start}, before {a.period} ends ({a.end}): it is "
                    f"treated as a successor of the {a.period} themes (not stated in the "
                    f"sources{cite})." for a, b in overlaps)


# --- focus areas ----------------------------------------------------------------------------


def canonical(term: str) -> str:
    """The canonical name of a focus-area term (see CANONICAL_TERMS)."""
    key = term.strip().lower()
    return CANONICAL_TERMS.get(key, key)


def focus_terms(themes: pd.DataFrame) -> pd.DataFrame:
    """One row per (theme, focus area): the raw term as in data/ and its canonical term."""
    rows = [{"period": t.period, "theme_id": t.theme_id, "theme": t.theme, "raw_term": raw,
             "term": canonical(raw)}
            for t in themes.itertuples() for raw in t.focus_areas]
    out = pd.DataFrame(rows, columns=["period", "theme_id", "theme", "raw_term", "term"])
    out["period"] = pd.Categorical(out["period"], categories=themes["period"].cat.categories,
                                   ordered=True)
    return out


def term_mapping(terms: pd.DataFrame) -> pd.DataFrame:
    """Canonical terms that stand for other raw wordings, with those wordings and periods."""
    mapped = terms[terms["raw_term"].str.lower() != terms["term"]]
    merged = terms[terms["term"].isin(mapped["term"])]
    out = (merged.groupby("term", sort=True, observed=True)
           .agg(raw_terms=("raw_term", lambda s: "; ".join(sorted(set(s)))),
                periods=("period", lambda s: ", ".join(str(p) for p in sorted(set(s)))))
           .reset_index())
    return out


def focus_status(terms: pd.DataFrame) -> pd.DataFrame:
    """Each (term, theme) cell with the term's status in that period.

    ``status`` is "first period" in the first chosen period, else "new" or "carried over"
    (present in the previous chosen period); ``dropped_after`` names the periods after which
    the term is absent from the next one; ``merged`` is True where the term joins several
    raw wordings (a single renamed wording is not a merge). Rows are ordered by first
    appearance.
    """
    periods = list(terms["period"].cat.categories)
    present = {p: set(terms.loc[terms["period"] == p, "term"]) for p in periods}
    previous = dict(zip(periods[1:], periods[:-1], strict=True))
    nxt = dict(zip(periods[:-1], periods[1:], strict=True))

    def status(term: str, period: str) -> str:
        if period not in previous:
            return FIRST_PERIOD
        return CARRIED_OVER if term in present[previous[period]] else NEW

    out = terms.copy()
    out["status"] = [status(t, str(p)) for t, p in zip(out["term"], out["period"], strict=True)]
    dropped = {t: ", ".join(p for p in periods[:-1] if t in present[p] and t not in present[nxt[p]])
               for t in out["term"].unique()}
    out["dropped_after"] = out["term"].map(dropped)
    wordings = terms.groupby("term")["raw_term"].agg(lambda r: r.str.lower().nunique())
    out["merged"] = out["term"].map(wordings) > 1
    theme_pos = {tid: i for i, tid in enumerate(terms["theme_id"].unique())}
    first = out.assign(pos=out["theme_id"].map(theme_pos)).groupby("term")["pos"].min()
    out["first_pos"] = out["term"].map(first)
    out = out.sort_values(["first_pos", "term", "period"], kind="stable")
    return out.drop(columns="first_pos").reset_index(drop=True)


def focus_changes(terms: pd.DataFrame) -> pd.DataFrame:
    """Per chosen period: canonical terms present, new, carried over, and dropped since before.

    The first period has nothing to compare with: its counts of changes show "–" (NO_CHANGE).
    """
    periods = list(terms["period"].cat.categories)
    present = [set(terms.loc[terms["period"] == p, "term"]) for p in periods]
    rows = [{"period": periods[0], "terms": len(present[0]), "new": NO_CHANGE,
             "carried_over": NO_CHANGE, "dropped": NO_CHANGE, "new_terms": "",
             "dropped_terms": ""}]
    for p, before, now in zip(periods[1:], present[:-1], present[1:], strict=True):
        rows.append({"period": p, "terms": len(now), "new": len(now - before),
                     "carried_over": len(now & before), "dropped": len(before - now),
                     "new_terms": ", ".join(sorted(now - before, key=str.lower)),
                     "dropped_terms": ", ".join(sorted(before - now, key=str.lower))})
    return pd.DataFrame(rows)


# --- similarity and inferred lineage ----------------------------------------------------------


def theme_text(themes: pd.DataFrame) -> pd.Series:
    """The text compared by TF-IDF: a theme's summary and its focus areas (not its name).

    A theme the sources give only as a label (no summary) is compared by its name and its
    sub-priorities: there is nothing else to compare.
    """
    subs = themes["sub_priorities"] if "sub_priorities" in themes else \
        pd.Series([[]] * len(themes), index=themes.index)
    return pd.Series([f"{s}. {'; '.join(f)}" if isinstance(s, str) else
                      "; ".join([n, *sp]) for s, f, n, sp in
                      zip(themes["summary"], themes["focus_areas"], themes["theme"], subs,
                          strict=True)], index=themes.index)


def _pair_scores(a: pd.DataFrame, b: pd.DataFrame, method: str) -> list[list[float]]:
    if method == "tfidf":
        # scikit-learn is imported here, not with the module: every notebook imports this module
        # (through the figures), only notebook 03 infers links, and the import costs a kernel
        # about 0.2 s.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_similarity

        # Fitted on the two periods only, so a pair's scores do not depend on other periods.
        vec = TfidfVectorizer(stop_words="english").fit(pd.concat([theme_text(a),
                                                                   theme_text(b)]))
        return cosine_similarity(vec.transform(theme_text(a)), vec.transform(theme_text(b)))
    sets_a = [{canonical(x) for x in f} for f in a["focus_areas"]]
    sets_b = [{canonical(x) for x in f} for f in b["focus_areas"]]
    return [[jaccard(x, y) for y in sets_b] for x in sets_a]


def similarity(themes: pd.DataFrame, method: str = "tfidf") -> pd.DataFrame:
    """Similarity (0-1, two decimals) of each theme to each theme of the next chosen period.

    ``method`` "tfidf": cosine similarity of TF-IDF vectors of summary and focus areas;
    "jaccard": Jaccard index of the sets of canonical focus-area terms.
    """
    if method not in METHODS:
        raise ParameterError(f"parameter similarity: {method!r} is not a method "
                             f"(allowed: {', '.join(METHODS)})")
    periods = [str(p) for p in themes["period"].cat.categories]
    rows = []
    for pa, pb in period_pairs(periods):
        a = themes[themes["period"] == pa].reset_index(drop=True)
        b = themes[themes["period"] == pb].reset_index(drop=True)
        scores = _pair_scores(a, b, method)
        rows += [{"from_period": pa, "to_period": pb, "from_id": a.at[i, "theme_id"],
                  "to_id": b.at[j, "theme_id"], "from_theme": a.at[i, "theme"],
                  "to_theme": b.at[j, "theme"], "score": round(float(scores[i][j]), 2)}
                 for i in range(len(a)) for j in range(len(b))]
    return pd.DataFrame(rows, columns=["from_period", "to_period", "from_id", "to_id",
                                       "from_theme", "to_theme", "score"])


def inferred_links(scores: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Pairs whose similarity reaches ``threshold`` (score >= threshold)."""
    return scores[scores["score"] >= threshold].reset_index(drop=True)


# --- documented lineage and the comparison --------------------------------------------------


def documented_links(lineage: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Documented links between consecutive chosen periods.

    Where a data period between them is skipped, links are chained through it: the relations
    are joined with "then", the basis is the weakest of the chain and ``via`` names the skipped
    period(s).
    """
    periods = [str(p) for p in themes["period"].cat.categories]
    period_of = dict(zip(themes["theme_id"], themes["period"].astype(str), strict=True))
    name_of = dict(zip(themes["theme_id"], themes["theme"], strict=True))
    edges = lineage.to_dict("records")
    rows = []
    for pa, pb in period_pairs(periods):
        stack = [(tid, tid, [], []) for tid in themes.loc[themes["period"] == pa, "theme_id"]]
        while stack:
            start, here, chain, via = stack.pop(0)
            for e in (e for e in edges if e["from_id"] == here):
                steps = [*chain, e]
                if period_of.get(e["to_id"]) == pb:
                    rows.append({
                        "from_period": pa, "to_period": pb, "from_id": start, "to_id": e["to_id"],
                        "from_theme": name_of[start], "to_theme": name_of[e["to_id"]],
                        "relation": " then ".join(s["relation"] for s in steps),
                        "basis": max((s["basis"] for s in steps), key=BASES.index),
                        "via": ", ".join(via),
                        "source": "; ".join(dict.fromkeys(s["source"] for s in steps))})
                elif e["to_id"] not in period_of:
                    stack.append((start, e["to_id"], steps, [*via, e["to_period"]]))
    return pd.DataFrame(rows, columns=["from_period", "to_period", "from_id", "to_id",
                                       "from_theme", "to_theme", "relation", "basis", "via",
                                       "source"])


def compare_links(documented: pd.DataFrame, scores: pd.DataFrame,
                  threshold: float) -> pd.DataFrame:
    """Documented and inferred links side by side: "agree", "documented only", "inferred only".

    Every row carries the similarity score of its pair, so a documented link missed by the text
    shows how far below the threshold it falls.
    """
    keys = ["from_period", "to_period", "from_id", "to_id", "from_theme", "to_theme"]
    inferred = inferred_links(scores, threshold)[keys].assign(inferred=True)
    out = documented.assign(documented=True).merge(inferred, on=keys, how="outer")
    out = out.merge(scores[["from_id", "to_id", "score"]], on=["from_id", "to_id"], how="left")
    out["documented"] = out["documented"].astype("boolean").fillna(False).astype(bool)
    out["inferred"] = out["inferred"].astype("boolean").fillna(False).astype(bool)
    out["status"] = [STATUSES[0] if d and i else STATUSES[1] if d else STATUSES[2]
                     for d, i in zip(out["documented"], out["inferred"], strict=True)]
    order = {tid: i for i, tid in enumerate(scores["from_id"].drop_duplicates())}
    order_to = {tid: i for i, tid in enumerate(scores["to_id"].drop_duplicates())}
    out = out.assign(_a=out["from_id"].map(order), _b=out["to_id"].map(order_to))
    out = out.sort_values(["_a", "_b"], kind="stable").drop(columns=["_a", "_b"])
    for col in ("relation", "basis", "via", "source"):
        out[col] = out[col].fillna("")
    cols = [*keys, "relation", "basis", "via", "score", "documented", "inferred", "status",
            "source"]
    return out[cols].reset_index(drop=True)


def agreement_text(comparison: pd.DataFrame, pairs: Sequence[tuple[str, str]], method: str,
                   threshold: float) -> str:
    """Sentences counting where documented and inferred lineage agree, overall and per pair."""
    n = comparison["status"].value_counts()
    documented = int(comparison["documented"].sum())
    name = {"tfidf": "TF-IDF text similarity", "jaccard": "Jaccard focus-area similarity"}
    text = (f"With {name.get(method, method)} at a threshold of {threshold:.2f}, "
            f"{n.get('agree', 0)} of {counted(documented, 'documented link', 'documented links')} "
            f"{'is' if n.get('agree', 0) == 1 else 'are'} also found by similarity; "
            f"{counted(int(n.get('documented only', 0)), 'link is', 'links are')} documented "
            "only and "
            f"{counted(int(n.get('inferred only', 0)), 'link is', 'links are')} inferred only.")
    for pa, pb in pairs:
        g = comparison[(comparison["from_period"] == pa) & (comparison["to_period"] == pb)]
        text += (f" {pa} -> {pb}: {int(g['documented'].sum())} documented, "
                 f"{int(g['inferred'].sum())} inferred.")
    return text


# --- the lineage flow figure's data -----------------------------------------------------------


def flow_data(themes: pd.DataFrame, links: pd.DataFrame, box: float = 1.0,
              gap: float = 0.6) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Layout of the lineage flow: boxes (themes in period columns) and bands (links).

    Columns after the first are ordered by the mean row of their linked predecessors (ties and
    unlinked themes keep the data order), which keeps bands from crossing where possible.
    Columns are centred vertically; y grows downwards. A box with k bands on one side splits
    that side into k equal slots, ordered by the row of the theme at the other end.
    """
    periods = [str(p) for p in themes["period"].cat.categories]
    per_col = [themes[themes["period"] == p] for p in periods]
    tallest = max(len(c) for c in per_col)
    row_of: dict[str, float] = {}
    nodes = []
    for col, frame in enumerate(per_col):
        ids = list(frame["theme_id"])

        def key(tid: str, i: int) -> tuple[float, int]:
            pred = [row_of[f] for f in links.loc[links["to_id"] == tid, "from_id"] if f in row_of]
            return (sum(pred) / len(pred) if pred else float(i), i)

        if col:
            ids = sorted(ids, key=lambda t: key(t, ids.index(t)))
        offset = (tallest - len(ids)) * (box + gap) / 2
        name = dict(zip(frame["theme_id"], frame["theme"], strict=True))
        for row, tid in enumerate(ids):
            row_of[tid] = row
            y0 = offset + row * (box + gap)
            nodes.append({"period": periods[col], "column": col, "theme_id": tid,
                          "theme": name[tid], "row": row, "y0": y0, "y1": y0 + box})
    nodes_df = pd.DataFrame(nodes)
    top = dict(zip(nodes_df["theme_id"], nodes_df["y0"], strict=True))
    col_of = dict(zip(nodes_df["theme_id"], nodes_df["column"], strict=True))
    bands = links[links["from_id"].isin(top) & links["to_id"].isin(top)].copy()

    def slots(side: str, other: str) -> dict[tuple[str, str], tuple[float, float]]:
        out = {}
        for tid, g in bands.groupby(side, sort=False):
            ordered = sorted(zip(g[other], g[side], strict=True), key=lambda x: (top[x[0]], x[0]))
            k = len(ordered)
            for i, (o, s) in enumerate(ordered):
                pair = (s, o) if side == "from_id" else (o, s)
                out[pair] = (top[tid] + i * box / k, top[tid] + (i + 1) * box / k)
        return out

    start, end = slots("from_id", "to_id"), slots("to_id", "from_id")
    pairs = list(zip(bands["from_id"], bands["to_id"], strict=True))
    bands["from_column"] = bands["from_id"].map(col_of)
    bands["from_y0"] = [start[p][0] for p in pairs]
    bands["from_y1"] = [start[p][1] for p in pairs]
    bands["to_y0"] = [end[p][0] for p in pairs]
    bands["to_y1"] = [end[p][1] for p in pairs]
    return nodes_df, bands.reset_index(drop=True)


# --- crosswalk with the city ----------------------------------------------------------------


def _keyword_pattern(keyword: str) -> str:
    body = re.escape(keyword.rstrip("*")).replace(r"\ ", r"\s+")
    return r"\b" + body + (r"[\w-]*" if keyword.endswith("*") else r"s?") + r"\b"


_TOPIC_RE = {topic: re.compile("|".join(_keyword_pattern(k) for k in words), re.IGNORECASE)
             for topic, words in TOPICS.items()}


def topics_in(text: str) -> list[str]:
    """The crosswalk topics whose keywords occur in ``text``, in TOPICS order."""
    return [topic for topic, rx in _TOPIC_RE.items() if rx.search(text)]


def topic_table() -> pd.DataFrame:
    """The crosswalk vocabulary: each topic and its keywords."""
    return pd.DataFrame([{"topic": t, "keywords": ", ".join(k)} for t, k in TOPICS.items()])


def city_items(policy_areas: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """The city's policy areas of focus and its own innovation activities, with their text.

    An activity is named in the city's own wording; its text adds the survey option it answers.
    """
    rows = []
    for area, g in policy_areas.groupby("policy_area", sort=False):
        text = " ".join([area, *g["goal"].dropna(), g["means"].iloc[0] or ""])
        rows.append({"kind": "policy area", "item": area, "text": text,
                     "source": g["source"].iloc[0]})
    for a in activities.dropna(subset=["city_activity"]).itertuples():
        text = " ".join([a.option, a.city_activity, a.examples or ""])
        rows.append({"kind": "activity", "item": a.city_activity, "text": text,
                     "source": a.source})
    return pd.DataFrame(rows, columns=["kind", "item", "text", "source"])


def crosswalk(themes: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Topics shared by each theme (summary, focus areas) and each city item (keyword-based)."""
    theme_topics = [topics_in(t) for t in theme_text(themes)]
    item_topics = [topics_in(t) for t in items["text"]]
    rows = [{"period": t.period, "theme_id": t.theme_id, "theme": t.theme, "kind": it.kind,
             "item": it.item, "shared": [x for x in tt if x in it_topics],
             "n_shared": sum(x in it_topics for x in tt)}
            for t, tt in zip(themes.itertuples(), theme_topics, strict=True)
            for it, it_topics in zip(items.itertuples(), item_topics, strict=True)]
    out = pd.DataFrame(rows, columns=["period", "theme_id", "theme", "kind", "item", "shared",
                                      "n_shared"])
    out["period"] = pd.Categorical(out["period"], categories=themes["period"].cat.categories,
                                   ordered=True)
    return out


# --- notes under figures ----------------------------------------------------------------------


def flags_about(flags: pd.DataFrame, field: str, periods: Sequence[str] | None = None,
                themes: bool = False, skip: Sequence[str] = ()) -> pd.DataFrame:
    """Flags on ``field`` itself (e.g. "periods") or below it (``field.x``).

    With ``periods``, flags on the section itself and, below it, only those on
    ``field.<period>`` of those periods, or with ``themes`` only those on a theme of those
    periods (``field.<period>.<theme id>``). ``skip`` leaves out kinds of problem, e.g.
    "garbled" for a note about dates, which a misspelt page does not change.
    """
    if periods is None:
        return on_field(flags, field, skip=skip)
    keep = matches(flags, field, below=False) | matches(
        flags, [f"{field}.{p}" for p in periods], depth=3 if themes else 2)
    return on_field(flags[keep], field, skip=skip)


def source_note(*frames: pd.DataFrame, flags: pd.DataFrame | None = None,
                extra: str = "") -> str:
    """A figure note: the source ids behind ``frames``, ``extra`` and the details of ``flags``."""
    cells = [str(cell) for f in frames for cell in f["source"].dropna()]
    flagged = [] if flags is None else [(r.flag_id, r.detail) for r in flags.itertuples()]
    return notes.figure_note(cells, [extra], flagged)
