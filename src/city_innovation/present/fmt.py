"""Numbers as readers see them in sentences, notes and figure labels.

Percentages, survey shares given as a number or only in words, quantities with their unit,
yearly changes, and counted nouns are each written one way, here, so that a table, a sentence
and a figure label agree on how a figure reads.
"""

from __future__ import annotations

import pandas as pd


def pct(value: float) -> str:
    """A percentage for labels: whole numbers without decimals, others with one."""
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def share_text(value: object, wording: object) -> str:
    """A share as shown in tables: ``49%``, or the wording in quotes when no number exists."""
    if value is not None and not pd.isna(value):
        return f"{float(value):g}%"
    return f"\u201c{wording}\u201d (words only)" if wording else "not stated"


def _is_percent(unit: str) -> bool:
    return unit.startswith("%") or unit == "percent"


def quantity(value: float, unit: str) -> str:
    """A value with its unit, at most two decimals: ``12.5%``, ``3.1 t CO2e``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if _is_percent(unit) else f"{text} {unit}"


def per_year(value: float, unit: str) -> str:
    """A signed change a year, at most three decimals; percentages change in points."""
    per = "percentage points" if _is_percent(unit) else unit
    return f"{value:+.3f}".rstrip("0").rstrip(".") + f" {per} a year"


def counted(count: int, one: str, many: str) -> str:
    """``1 theme`` or ``3 themes``: the count with the noun in the singular or plural."""
    return f"{count} {one if count == 1 else many}"
