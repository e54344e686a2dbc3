"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies."""

from __future__ import annotations

import tomllib

import yaml
from packaging.requirements import Requirement

from city_innovation.paths import REPO_ROOT


def _normal(spec: str) -> tuple[str, str]:
    req = Requirement(spec)
    return req.name.lower().replace("_", "-"), str(req.specifier)


def test_conda_and_pip_dependencies_agree():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pip = {_normal(s) for s in project["dependencies"]}
    for extra in ("test", "distributed"):
        pip |= {_normal(s) for s in project["optional-dependencies"][extra]}
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda = {_normal(s) for s in env["dependencies"] if isinstance(s, str)}
    conda = {(name, spec) for name, spec in conda if name not in ("python", "pip")}
    assert conda == pip


def test_python_floor_agrees():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]
