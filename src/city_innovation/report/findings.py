"""The notebooks' side of a report: :func:`record_findings` and the checks of its values.

Every notebook calls ``report.record_findings(...)`` in its last cell, in a kernel; so this
module imports only the standard library and the package's light modules.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import files
from ..errors import ParameterError
from .model import FINDINGS_ENV, HEADLINES


def record_findings(findings: Mapping[str, Any], headlines: Sequence[str] = ()) -> None:
    """Record a notebook's key figures and headline sentences; call it in the last cell.

    ``headlines`` are the notebook's findings said in sentences, built from computed values
    (the run's landing page shows them first, and the PDF). The values are checked everywhere
    (so a mistake shows in JupyterLab too) and written as JSON to the file named by
    ``$CITY_INNOVATION_FINDINGS``, which ``city-innovation report`` sets for each kernel (the
    sentences under the key ``headlines``). Without it (JupyterLab, nbval, ``make notebooks``)
    nothing is written. Returns None either way, so the cell has no output.
    """
    clean = {key: _finding(key, value) for key, value in _finding_items(findings)}
    if HEADLINES in clean:
        raise ParameterError(f"findings: key {HEADLINES!r} is not allowed (pass the sentences "
                             "as headlines=[...])")
    if isinstance(headlines, str) or not all(isinstance(h, str) and h.strip()
                                             for h in headlines):
        raise ParameterError("headlines: expected a list of non-empty sentences (str)")
    if headlines:
        clean[HEADLINES] = [h.strip() for h in headlines]
    target = os.environ.get(FINDINGS_ENV)
    if not target:
        return None
    path = Path(target)
    files.write_text(path, json.dumps(clean, ensure_ascii=False, indent=1))
    return None


def _finding_items(findings: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    if not isinstance(findings, Mapping):
        raise ParameterError(f"findings: expected a mapping of names to values, "
                             f"got {type(findings).__name__}")
    for key, value in findings.items():
        if not isinstance(key, str) or not key:
            raise ParameterError(f"findings: key {key!r} is not allowed (allowed: a non-empty "
                                 "string)")
        yield key, value


def _finding(key: str, value: Any) -> Any:
    """A JSON-safe copy of one finding (numpy scalars become Python numbers)."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, (list, tuple)):
        return [_finding(key, v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"findings: {key}: {value!r} is not allowed (allowed: a finite "
                             "number)")
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise ParameterError(f"findings: {key}: a {type(value).__name__} is not allowed (allowed: "
                         "str, int, float, bool, None or a list of them)")

