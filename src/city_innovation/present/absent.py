""""Nothing to show": the one sentence a table, figure or section gives instead of its content.

Partial profiles are normal (most published pages are cut off), so analyses and figures return
an :class:`Absent` sentence instead of an empty table or an empty plot; notebooks display it as
the sentence it is, and ``plots.save`` prints it in place of a figure.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..store.models import Profile


class Absent:
    """One sentence shown where a table or figure has no data to show."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Absent) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>"


def not_given(p: Profile, what: str) -> Absent:
    """ "<city>'s profile does not give <what>." """
    return Absent(f"{p.city}'s profile does not give {what}.")


def table_or(frame: pd.DataFrame, p: Profile, what: str) -> pd.DataFrame | Absent:
    """The table, or the sentence saying the profile does not give ``what`` when it is empty."""
    return not_given(p, what) if frame.empty else frame
