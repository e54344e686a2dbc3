"""What the city-report tests share: which notebooks each city gets, what must never appear in a
report's outputs, and one ``report --city all`` run of some of the notebooks, checked clean.

The all-cities report is tested in two files, each running the same command for a part of the
notebooks (``--notebooks``), so that the two halves can run on two workers at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from city_innovation import data, paths
from city_innovation.cli import main
from city_innovation.params import NOTEBOOK_PARAMS
from city_innovation.report import plan

#: The notebooks that need a region: not run for a city without region data.
REGION_NOTEBOOKS = {path.stem for number, path in plan.discover(paths.NOTEBOOKS_DIR).items()
                    if "region" in NOTEBOOK_PARAMS[number].model_fields
                    and not getattr(NOTEBOOK_PARAMS[number], "REGION_OPTIONAL", False)}

#: The notebook comparing a city's page versions: run for every city with two or more.
ROUNDS = "06_city_across_rounds"

#: The European cities of data/profiles/: each is listed by a region file, so gets all five.
EUROPEAN = {"Amsterdam": "Noord-Holland", "Helsinki": "Helsinki-Uusimaa",
            "Lisbon": "Área Metropolitana de Lisboa", "Stockholm": "Stockholm", "Vienna": "Wien"}

#: What must never appear in a report's outputs.
DIRTY = re.compile(r"Traceback|Error\b|Warning\b|warnings\.warn|/work/|/home/|/tmp/|/Users/|"
                   r"[A-Z]:\\\\|Empty DataFrame|<tbody>\s*</tbody>", re.IGNORECASE)

#: What a reader's table must not show: pandas' missing-value markers.
READER_DIRTY = re.compile(r">\s*(NaN|&lt;NA&gt;|<NA>|None|nan)\s*<")


def outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Every text a notebook shows: stream text, plain-text and HTML results, errors."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append(o.text)
            elif o.output_type == "error":
                out.append(f"{o.ename}: {o.evalue}")
            else:
                out += [str(o.data.get(k, "")) for k in ("text/plain", "text/html")]
    return out


def reader_html(nb: nbformat.NotebookNode) -> list[str]:
    """The HTML tables the notebook shows."""
    return [str(o.data["text/html"]) for cell in nb.cells for o in cell.get("outputs", [])
            if o.output_type in ("execute_result", "display_data") and "text/html" in o.data]


def report_for_all_cities(out: Path, notebooks: str) -> dict[str, dict]:
    """Run ``report --city all --notebooks <notebooks>`` into ``out`` (notebooks only, two
    jobs); check that every city has a run in the top index and that every notebook it ran
    shows nothing of :data:`DIRTY` and no missing-value marker in a reader's table. Returns each
    city's ``run.json``."""
    cities = data.available_cities()
    assert main(["report", "--out", str(out), "--quiet", "--format", "ipynb", "--jobs", "2",
                 "--city", "all", "--notebooks", notebooks]) == 0
    top = (out / "index.html").read_text(encoding="utf-8")
    runs = {}
    for city in cities:
        folder = out / data.slug(city)
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        assert run["status"] == "ok" and f"{data.slug(city)}/index.html" in top, city
        for stem in {nb["stem"] for nb in run["notebooks"]}:
            nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
            assert [t for t in outputs(nb) if DIRTY.search(t)] == [], f"{city} {stem}"
            assert not [t for t in reader_html(nb) if READER_DIRTY.search(t)], f"{city} {stem}"
        runs[city] = run
    return runs


def findings_of(run: dict) -> dict[str, dict]:
    """Each notebook's findings in a run, by notebook stem."""
    return {nb["stem"]: nb["findings"] for nb in run["notebooks"]}
