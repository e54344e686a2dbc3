"""The one wording of the note under a figure: its sources, then its caveats, then its flags.

Every figure note reads ``Sources: a, b. <caveats> Flagged: x (detail); y.``: the source ids
(listed in ``data/sources.yaml`` and in each notebook's Sources table) in first-seen order, each
caveat as a sentence, and the data-quality flags that touch the figure, with their detail where
the reader needs it under the figure. Analyses build their notes here; figure functions only
draw the text (``plots.add_note``).
"""

from __future__ import annotations

from collections.abc import Iterable

#: A flag in a note: its id alone, or its id and the detail the reader needs beside the figure.
FlagRef = str | tuple[str, str]


def source_ids(cells: Iterable[object]) -> list[str]:
    """Source ids in first-seen order from cells such as ``"a; b"``; empty or missing cells and
    anything that is not a string (NaN, None) are skipped."""
    return list(dict.fromkeys(s.strip() for cell in cells if isinstance(cell, str)
                              for s in cell.split(";") if s.strip()))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _flag(flag: FlagRef) -> str:
    if isinstance(flag, str):
        return flag
    flag_id, detail = flag
    return f"{flag_id} ({detail.strip().rstrip('.')})" if detail.strip() else flag_id


def figure_note(sources: Iterable[object], caveats: Iterable[str] = (),
                flags: Iterable[FlagRef] = ()) -> str:
    """The note under a figure: ``Sources: a, b. <caveats> Flagged: x (detail); y.``

    ``sources`` are source ids or cells of ids joined by ``"; "`` (repeats dropped);
    ``caveats`` are sentences, each given a full stop if it has none; ``flags`` are flag ids,
    or (id, detail) pairs. A part with nothing in it is left out.
    """
    ids = source_ids(sources)
    parts = [f"Sources: {', '.join(ids)}."] if ids else []
    parts += [_sentence(c) for c in caveats if c.strip()]
    flagged = list(dict.fromkeys(_flag(f) for f in flags))
    if flagged:
        parts.append(f"Flagged: {'; '.join(flagged)}.")
    return " ".join(parts)
