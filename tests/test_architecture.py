"""The package's shape: small modules, imports in one direction, no reaching into private names.

These are the rules the README's "where things are" map promises; each test names the modules
that break one.
"""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "city_innovation"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name an ``ImportFrom`` refers to, relative imports included."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, str | None]]:
    """``(imported module, imported name or None)`` for every package-internal import."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    found.append((f"{target}.{alias.name}", None))
                else:
                    found.append((target, alias.name))
    return [(name, attr) for name, attr in found if name in MODULES and name != module]


def _graph() -> dict[str, set[str]]:
    """Each module and the package modules it imports."""
    return {
        # A package's __init__ importing its own submodules is how re-exports work.
        module: {target for target, _ in _imports(module) if not target.startswith(module + ".")}
        for module in MODULES
    }


def test_the_package_is_found() -> None:
    assert "city_innovation.params" in MODULES
    assert len(MODULES) > 20


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_600_lines(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES})"


def test_no_two_modules_import_each_other() -> None:
    try:
        tuple(graphlib.TopologicalSorter(_graph()).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


def test_no_module_imports_another_modules_private_name() -> None:
    private = sorted(
        f"{module} imports {target}.{name}"
        for module in MODULES
        for target, name in _imports(module)
        if name is not None and name.startswith("_") and not name.startswith("__")
    )
    private += sorted(
        f"{module} imports {target}"
        for module in MODULES
        for target, _ in _imports(module)
        if any(part.startswith("_") and not part.startswith("__") for part in target.split("."))
        and target.rsplit(".", 1)[0] != module.rsplit(".", 1)[0]
    )
    assert private == []


def _third_party(module: str) -> set[str]:
    """Top-level names of everything a module imports."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
    }
    return {name.split(".")[0] for name in names}


def test_analysis_draws_nothing() -> None:
    """The analyses return frames and sentences; figures live in ``plots``."""
    drawing = sorted(
        module
        for module in MODULES
        if module.startswith("city_innovation.analysis")
        and _third_party(module) & {"matplotlib", "seaborn"}
    )
    assert drawing == []


def test_the_store_imports_no_analysis_and_no_ingest() -> None:
    """The store reads data/; what reads outside text into it (ingest) and what is built on it
    (analyses, figures, reports) sit above it."""
    upward = sorted(
        f"{module} imports {target}"
        for module in MODULES
        if module.startswith(("city_innovation.store", "city_innovation.survey"))
        for target, _ in _imports(module)
        if target.startswith(
            ("city_innovation.analysis", "city_innovation.plots", "city_innovation.report",
             "city_innovation.ingest")
        )
    )
    assert upward == []


def _readme_map() -> str:
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where things are", 1)[1]
    return section.split("```", 2)[1].split("src/city_innovation/", 1)[1]


def test_the_readme_map_names_every_module_and_only_real_ones() -> None:
    """The README's "where things are" map and the tree agree, file name by file name."""
    listed = set(re.findall(r"\b([a-z_0-9]+\.py)\b", _readme_map()))
    files = {path.name for path in PACKAGE.rglob("*.py")} - {"__init__.py"}
    folders = {path.parent.name + "/" for path in PACKAGE.rglob("__init__.py")}
    folders -= {PACKAGE.name + "/"}
    assert files - listed == set(), "modules missing from the README map"
    assert listed - files == set(), "the README map names modules that do not exist"
    assert {f for f in folders if f not in _readme_map()} == set()
