"""Analyses of a city's innovation-capacity profile."""

from __future__ import annotations

import pandas as pd

from . import data
from .models import Profile


def summary_card(p: Profile) -> pd.DataFrame:
    """The profile at a glance: one row per item (item, value, source, locator)."""
    rows: list[dict[str, object]] = []

    def add(item: str, value: object, source: str, locator: str | None) -> None:
        rows.append({"item": item, "value": value, "source": source, "locator": locator})

    if p.mayor:
        add("Mayor", p.mayor.name, p.mayor.source, p.mayor.locator)
    pop = p.population
    add("Population", f"{pop.value:,}" + (f" ({pop.year})" if pop.year else ""), pop.source,
        pop.locator)
    if p.innovation_officers:
        o = p.innovation_officers
        add("Lead innovation officers", ", ".join(o.names), o.source, o.locator)
    if p.teams:
        for t in p.teams.teams:
            where = f", {t.location}" if t.location else ""
            add(f"{t.name}", f"{t.staff} staff{where}", p.teams.source, p.teams.locator)
        if p.teams.divisions_with_own_team:
            add("Divisions with their own innovation team", p.teams.divisions_with_own_team,
                p.teams.source, p.teams.locator)
    for s in p.strategy:
        add(s.question.capitalize(), s.answer, s.source, s.locator)
    if p.roles:
        r = p.roles
        add("Innovation roles", f"{r.stated_count} stated, {len(r.listed)} listed", r.source,
            r.locator)
    if p.dedicated_funding:
        d = p.dedicated_funding
        add("Dedicated innovation funding", "yes" if d.has_dedicated_funding else "no", d.source,
            d.locator)
    return pd.DataFrame(rows, columns=["item", "value", "source", "locator"])


def flag_count(p: Profile) -> pd.Series:
    """Number of data-quality flags of a profile by kind of problem."""
    return data.flags(p)["problem"].value_counts().sort_index()
