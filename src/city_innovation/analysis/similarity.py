"""Set similarity shared by the analyses: themes across strategy periods (notebook 03), regions'
priorities (03) and cities' chosen options (04)."""

from __future__ import annotations

from collections.abc import Set


def jaccard(a: Set[str], b: Set[str]) -> float:
    """Shared share of two sets: |a & b| / |a | b| (0 for two empty sets)."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0
