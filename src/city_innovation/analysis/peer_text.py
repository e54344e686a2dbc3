"""Sentences of the peer comparison (notebook 04), computed from its tables for any city.

Each function takes the tables of :mod:`peers` and returns a sentence that holds for the data
given: nothing here is written for one city.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .peers import PRESENT


def _names(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _q(text: str) -> str:
    """An option's label in quotes, so that it reads as a label inside a sentence."""
    return f"\u201c{text}\u201d"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def coverage_sentence(cov: pd.DataFrame, cities: int) -> str:
    """Which sections every page gives, and which fewer than half of the pages give."""
    present = cov.groupby("section", observed=True)["status"].apply(
        lambda s: int((s == PRESENT).sum()))
    every = list(present[present == cities].index)
    few = [f"{s} ({k})" for s, k in present[present < cities / 2].items()]
    out = (f"Sections all {cities} pages give: {_names(every)}." if every else
           f"No section is given by all {cities} pages.")
    if few:
        out += (f" Fewer than half give {_names(few)} (pages giving it in brackets); comparisons "
                "of those sections cover only these cities.")
    return out


def option_sentence(shares: pd.DataFrame, city: str, what: str) -> str:
    """What most peers name among ``what`` (aims, factors), what the city shares, what it alone
    names. ``shares`` is :func:`peers.option_shares`."""
    n = int(shares["peers_answering"].max()) if len(shares) else 0
    if n == 0:
        return f"No peer gives its {what}."
    top = shares.iloc[0]
    out = (f"Named by most peers: {top['option']} ({top['peers_choosing']} of {n} peers, "
           f"{top['peer_share']:g}%).")
    chose = shares[shares["city_chose"].fillna(False).astype(bool)]
    if chose.empty:
        return out + f" {city}'s page gives no {what}."
    common = chose[chose["peers_choosing"] * 2 > n]["option"].tolist()
    alone = chose[chose["peers_choosing"] == 0]["option"].tolist()
    what_n = what.removesuffix("s") if len(chose) == 1 else what
    out += (f" Of {city}'s {len(chose)} {what_n}, {len(common)} {_are(len(common))} named by more "
            "than half of the peers" + (f" ({'; '.join(common)})" if common else "") + ".")
    out += (f" Only {city} names: {'; '.join(alone)}." if alone
            else f" Every one of {city}'s {what} is named by at least one peer.")
    return out


def agreement_sentence(factor_shares: pd.DataFrame, aim_shares: pd.DataFrame) -> str:
    """Whether the peers agree more on success factors or on aims: the share of peers naming
    the most-named option of each list."""
    if not len(factor_shares) or not len(aim_shares) or \
            not factor_shares["peers_answering"].max() or not aim_shares["peers_answering"].max():
        return "The peers' agreement on factors and on aims cannot be compared: a list is missing."
    f, a = float(factor_shares["peer_share"].max()), float(aim_shares["peer_share"].max())
    more = "more" if f > a else "less" if f < a else "as much"
    return (f"The most-named success factor is named by {f:g}% of the peers answering, the "
            f"most-named aim by {a:g}%: on their top choice the peers agree {more} on success "
            "factors than on aims." if more != "as much" else
            f"The most-named success factor and the most-named aim are each named by {f:g}% of "
            "the peers answering.")


def roles_sentence(roles: pd.DataFrame) -> str:
    """How many pages state more roles than they list (``peers.roles``)."""
    if roles.empty:
        return "No page shown has a roles section."
    stated = roles[roles["stated"].notna()]
    more = stated[stated["gap"] > 0]
    out = f"{len(stated)} of {len(roles)} pages with a roles section state a number of roles"
    if more.empty:
        return out + "; none states more roles than it lists."
    one = len(more) == 1
    return (out + f"; {len(more)} {'states' if one else 'state'} more than "
            f"{'it lists' if one else 'they list'} ({_names(list(more['city']))}), so "
            f"{'its' if one else 'their'} listed roles understate what "
            f"{'it uses' if one else 'they use'}.")


def staff_sentence(staff: pd.DataFrame) -> str:
    """The spread of team sizes and of staff per 100,000 inhabitants (``peers.team_staff``)."""
    one = staff[staff["staff"].notna()]
    if one.empty:
        return "No city shown gives its team's staff as one figure."

    def size(r: pd.Series) -> str:
        return f"{'at least ' if r['at_least'] else ''}{int(r['staff'])}"

    lo, hi = one.loc[one["staff"].idxmin()], one.loc[one["staff"].idxmax()]
    if len(one) == 1:
        out = f"Team staff: only {hi['city']} gives one figure ({size(hi)})."
    else:
        out = (f"Team staff over {len(one)} cities giving one figure: from {size(lo)} "
               f"({lo['city']}) to {size(hi)} ({hi['city']})")
        if lo["staff"] > 0 and hi["staff"] != lo["staff"]:
            out += (f", {'at least ' if hi['at_least'] else ''}"
                    f"{hi['staff'] / lo['staff']:.0f} times as many")
        out += "."
    rate = staff.dropna(subset=["per_100k"])
    bound = ("; a figure given as a lower bound is a lower bound here too"
             if rate["at_least"].any() else "")
    if len(rate) == 1:
        out += (f" Per 100,000 inhabitants: {rate['per_100k'].iloc[0]:g} "
                f"({rate['city'].iloc[0]}){bound}.")
    elif len(rate) >= 2:
        low, high = rate["per_100k"].min(), rate["per_100k"].max()
        out += (f" Per 100,000 inhabitants: {low:g} to {high:g} over {len(rate)} cities "
                f"(median {rate['per_100k'].median():.1f}){bound}.")
    return out


def staff_note(staff: pd.DataFrame, cities: int) -> str:
    """The staff figure's note: cities shown of ``cities``, those left out and those without a
    rate per 100,000, each with why (``peers.team_staff``)."""
    shown = staff[staff["staff"].notna() | staff["named_teams_staff"].notna()]
    left = staff[staff["staff"].isna() & staff["named_teams_staff"].isna()]
    no_rate = shown[shown["per_100k"].isna()]
    return (f"{len(shown)} of {cities} cities; not shown: " +
            ("; ".join(f"{r.city} ({r.missing})" for r in left.itertuples()) or "none") +
            ". Per 100,000 not computed: " +
            ("; ".join(f"{r.city} ({r.missing})" for r in no_rate.itertuples()) or "none") +
            ". Populations are of the year each page gives.")


def strategy_sentence(shares: pd.DataFrame, city: str) -> str:
    """The peers' share with an explicit strategy beside the survey's.

    ``shares`` is :func:`peers.strategy_shares`.
    """
    row = shares[shares["answer"] == "explicit strategy"]
    if row.empty or pd.isna(row["peer_share"].iloc[0]):
        return "No peer answers the question on an explicit strategy."
    r = row.iloc[0]
    out = (f"{r['peers_with_answer']} of {r['peers_answering']} peers ({r['peer_share']:g}%) have "
           "an explicit innovation strategy")
    if pd.isna(r["survey_value"]):
        return out + "; the survey gives no share to set beside it."
    diff = float(r["peer_share"]) - float(r["survey_value"])
    side = ("more often than" if diff > 0 else "less often than" if diff < 0 else "as often as")
    return (out + f", against {r['survey_value']:g}% of the cities surveyed "
            f"({r['survey_round']}): the peers have one {side} the survey's cities"
            + (", so they are not a random sample of them." if diff else "."))


def headlines(city: str, n_peers: int, aim_shares: pd.DataFrame, factor_shares: pd.DataFrame,
              alike: pd.DataFrame, sets: dict[str, frozenset[str]]) -> list[str]:
    """Two findings: what the city shares with its peers and what only it names; its most
    alike peer and what they share."""
    out = []
    chose = pd.concat([aim_shares, factor_shares], ignore_index=True)
    chose = chose[chose["city_chose"].fillna(False).astype(bool)
                  & (chose["peers_answering"] > 0)]
    if not chose.empty:
        common = chose[chose["peers_choosing"] * 2 > chose["peers_answering"]].sort_values(
            "peer_share", ascending=False, kind="stable")
        alone = chose[chose["peers_choosing"] == 0]["option"].tolist()
        out.append(f"Of the {len(chose)} aims and success factors {city} names, {len(common)} "
                   f"{_are(len(common))} named by most of its {n_peers} peers"
                   + (f" (most widely: {_q(common.iloc[0]['option'])})" if len(common) else "")
                   + "; " + (f"only {city} names {'; '.join(map(_q, alone))}." if alone
                             else "each is named by at least one peer."))
    if not alike.empty:
        best = alike["city"].iloc[0]
        both = sorted(o.split(": ", 1)[1] for o in sets[city] & sets[best])
        out.append(f"{best} is the peer most alike {city}: they share {len(both)} of the "
                   f"{len(sets[city] | sets[best])} aims and success factors either names "
                   f"(Jaccard {alike['similarity'].iloc[0]:.2f}).")
    else:
        out.append(f"No peer names both aims and success factors as {city} does, so none is "
                   "ranked as most alike.")
    return out


def staff_display(staff: pd.DataFrame) -> pd.DataFrame:
    """``peers.team_staff`` for readers: a lower bound written "more than" in staff and rate."""
    out = staff.drop(columns=["at_least"]).astype(object)
    for col in ("staff", "per_100k"):
        out[col] = [None if pd.isna(v) else f"more than {v:g}" if low else v
                    for v, low in zip(staff[col], staff["at_least"], strict=True)]
    return out


def alike_sentence(alike: pd.DataFrame, sets: dict[str, frozenset[str]], city: str) -> str:
    """The peer most alike ``city`` (``peers.most_alike``), its Jaccard similarity and the
    options both chose (``peers.chosen_options``)."""
    if alike.empty:
        return f"No peer answers both lists, so no similarity with {city} is computed."
    best = alike["city"].iloc[0]
    both = sorted(sets[city] & sets[best])
    return (f"{best} is most alike {city} (Jaccard {alike['similarity'].iloc[0]:.2f}): "
            f"{len(both)} shared option(s) of {len(sets[city] | sets[best])} chosen by "
            f"either: {'; '.join(both)}.")
