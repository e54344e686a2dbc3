"""Every numbered notebook keeps one contract with its parameter model (``NOTEBOOK_PARAMS``).

The parameters cell names exactly the model's fields, each with a type and a line of help, and its
defaults mean what the model's defaults mean; the first code cell after it validates them with
the model, so a bad value stops the run there, with the model's own message and nothing drawn.
The wording of each model's messages is tested on the models, without a kernel, in each
notebook's own test file.
"""

from __future__ import annotations

import ast

import nbformat
import papermill
import pytest
from helpers import KERNEL, NOTEBOOKS, images_of, papermill_run
from papermill.exceptions import PapermillExecutionError

from city_innovation.errors import ParameterError
from city_innovation.params import NOTEBOOK_PARAMS
from city_innovation.report import plan

DISCOVERED = plan.discover(NOTEBOOKS)


def validation_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The first code cell after the parameters (and after the cell papermill injects)."""
    cells = nb.cells
    tagged = [i for i, c in enumerate(cells)
              if {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]
    return next(c for c in cells[tagged[-1] + 1:] if c.cell_type == "code")


def test_every_model_has_its_notebook():
    assert set(DISCOVERED) == set(NOTEBOOK_PARAMS) and len(DISCOVERED) >= 6


@pytest.mark.parametrize("number", sorted(NOTEBOOK_PARAMS))
def test_parameters_cell_matches_the_model(number):
    path, model = DISCOVERED[number], NOTEBOOK_PARAMS[number]
    inspected = papermill.inspect_notebook(str(path))
    assert list(inspected) == list(model.model_fields)
    for name, p in inspected.items():
        assert p["inferred_type_name"] != "None", f"{path.name}: {name} has no type"
        assert len(p["help"]) > 20, f"{path.name}: {name} needs a line of help"
    defaults = {name: ast.literal_eval(p["default"]) for name, p in inspected.items()}
    assert model.parse(**defaults) == model.parse()  # the cell's defaults are the model's
    nb = nbformat.read(path, as_version=4)
    assert f"{model.__name__}.parse(" in validation_cell(nb).source
    assert nb.metadata["kernelspec"]["name"] == KERNEL


@pytest.mark.notebook
@pytest.mark.parametrize("number", sorted(NOTEBOOK_PARAMS))
def test_a_bad_parameter_stops_the_run_in_the_validation_cell(number, tmp_path):
    path, model = DISCOVERED[number], NOTEBOOK_PARAMS[number]
    with pytest.raises(ParameterError) as expected:
        model.parse(output_dir=42)
    out = tmp_path / path.name
    with pytest.raises(PapermillExecutionError) as err:
        papermill_run(path, out, parameters={"output_dir": 42}, cwd=str(NOTEBOOKS))
    assert (err.value.ename, err.value.evalue) == ("ParameterError", str(expected.value))
    assert str(expected.value) == "parameter output_dir: Input should be a valid string"
    executed = nbformat.read(out, as_version=4)
    assert err.value.source == validation_cell(executed).source
    code = [c for c in executed.cells if c.cell_type == "code"]
    failed = next(i for i, c in enumerate(code) if c.source == err.value.source)
    assert all(c.get("execution_count") is None for c in code[failed + 1:])
    assert images_of(executed) == 0
