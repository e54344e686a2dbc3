"""What every tidy table shares: fixed columns, and the citation of the record each row is from.

Tidy tables have one row per fact, snake_case columns, and keep ``source`` and ``locator`` so
every figure traces to its document; an empty table still has its columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .records import Cited


def frame(rows: list[dict[str, Any]], columns: list[str], ints: Iterable[str] = ()
          ) -> pd.DataFrame:
    """A table of ``rows`` with exactly ``columns``; ``ints`` are nullable integer columns."""
    out = pd.DataFrame(rows, columns=columns)
    for col in ints:
        out[col] = out[col].astype("Int64")
    return out


def cite(rec: Cited) -> dict[str, Any]:
    """The ``source`` and ``locator`` columns of a row read from ``rec``."""
    return {"source": rec.source, "locator": rec.locator}
