"""Names a reader of the funding notebook may not know, explained only where the data use them.

The explanations are ours (method text, no figures); which of them a notebook shows, and which
themes of the region name each instrument, is computed from the region's data, so no sentence
about a particular region is written into the notebook.
"""

from __future__ import annotations

import re

import pandas as pd

#: Terms, the pattern that finds them in an instrument's name, and what they are.
TERMS: tuple[tuple[str, str, str], ...] = (
    ("Interreg", r"interreg",
     "the European Union's programmes for cooperation between regions across borders, paid "
     "from the European Regional Development Fund"),
    ("Central Baltic", r"central baltic",
     "the Interreg programme for the regions around the central Baltic Sea"),
    ("EU structural funds / ERDF", r"structural funds|\bERDF\b|regional development fund",
     "the EU's funds for regional development; the European Regional Development Fund (ERDF) "
     "is one of them"),
    ("6Aika (Six Cities)", r"6aika|six cities",
     "a joint urban-development strategy of six of Finland's largest cities, whose projects run "
     "on EU structural-fund and national money"),
    ("AIKO", r"\bAIKO\b", "Finnish national funding for regional innovations and pilots"),
    ("EIP on AHA", r"\bEIP\b|active and healthy ageing",
     "a European partnership network on active and healthy ageing; a network, not a source of "
     "money"),
)


def glossary(instruments: pd.DataFrame, region: str) -> str:
    """Markdown: smart specialisation, then each term the region's instruments use, with the
    themes (and periods) that name it. ``instruments`` as from ``data.instruments``."""
    lines = ["- **Smart specialisation**: a region's strategy names the themes it concentrates "
             "on; section 5 lists the instruments each theme names."]
    for term, pattern, meaning in TERMS:
        rx = re.compile(pattern, re.IGNORECASE)
        hits = instruments[instruments["instrument"].map(lambda n, rx=rx: bool(rx.search(n)))]
        if hits.empty:
            continue
        where = "; ".join(dict.fromkeys(f"{t.theme} ({t.period})" for t in hits.itertuples()))
        lines.append(f"- **{term}**: {meaning}. Named in {region}'s strategy for: {where}.")
    if len(lines) == 1:
        lines.append(f"- {region}'s strategy names no funding instrument in `data/`, so no "
                     "instrument needs explaining.")
    return "\n".join(lines)
