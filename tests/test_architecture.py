"""Import rules of the package, read from the source (AST), not from a run.

- Levers and processes meet only in :mod:`talentsim.effects`: no module under ``processes/``
  imports ``talentsim.policies`` (not even for type hints), and no lever writes a person's state.
- Processes use the model only through the object they are given: they import
  ``talentsim.model`` for type hints only.
- No import cycle among the package's modules at import time (module-level imports outside
  ``if TYPE_CHECKING:``); an import inside a function runs later and is not part of a cycle.
"""

from __future__ import annotations

import ast
import functools
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "talentsim"
# Methods of the population that change persons.
POPULATION_WRITERS = frozenset({"add", "set_status", "take_job", "leave_job", "recount_jobs", "compact"})


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(name: str, tree: ast.AST, *, import_time_only: bool, type_hints: bool = True) -> set[str]:
    """Modules of the package that module ``name`` imports.

    With ``import_time_only``: only the imports that run when the module is imported (module
    level, including inside ``try``/``if``, but not under ``if TYPE_CHECKING:`` nor in functions).
    Without ``type_hints``: every import but those under ``if TYPE_CHECKING:``.
    """
    known = set(modules())
    package = name if (PACKAGE / Path(*name.split(".")[1:]) / "__init__.py").exists() else name.rpartition(".")[0]
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if import_time_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if (import_time_only or not type_hints) and isinstance(child, ast.If) and _is_type_checking(child):
                for orelse in child.orelse:
                    visit(orelse)
                continue
            if isinstance(child, ast.Import):
                out.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    mod = ".".join(base + ([child.module] if child.module else []))
                else:
                    mod = child.module or ""
                out.add(mod)
                out.update(f"{mod}.{a.name}" for a in child.names if f"{mod}.{a.name}" in known)
            visit(child)

    visit(tree)
    # an import of a.b.c also runs a and a.b, except the packages that hold ``name`` itself
    # (they are already being imported when ``name`` runs)
    closed = set()
    for mod in out:
        parts = mod.split(".")
        closed.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    return {m for m in closed if m in known and m != name and m not in own}


@functools.cache
def trees() -> dict[str, ast.AST]:
    return {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules().items()}


def import_graph(*, import_time_only: bool) -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, tree in trees().items():
        graph.add_node(name)
        graph.add_edges_from((name, dep) for dep in imported(name, tree, import_time_only=import_time_only))
    return graph


PROCESS_MODULES = sorted(m for m in modules() if m.startswith("talentsim.processes"))
POLICY_MODULES = sorted(m for m in modules() if m.startswith("talentsim.policies"))


@pytest.mark.parametrize("name", PROCESS_MODULES)
def test_processes_do_not_import_the_levers(name):
    deps = imported(name, trees()[name], import_time_only=False)
    assert not {d for d in deps if d.startswith("talentsim.policies")}, (name, deps)


@pytest.mark.parametrize("name", PROCESS_MODULES)
def test_processes_import_the_model_for_type_hints_only(name):
    deps = imported(name, trees()[name], import_time_only=False, type_hints=False)
    assert "talentsim.model" not in deps and "talentsim.world" not in deps, (name, deps)


def _writes_persons(tree: ast.AST) -> list[str]:
    """Statements that assign into ``<...>.pop.<column>[...]`` or call a population writer."""
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if any(isinstance(n, ast.Attribute) and n.attr == "pop" for n in ast.walk(target)):
                found.append(ast.unparse(node))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in POPULATION_WRITERS
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "pop"
        ):
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("name", POLICY_MODULES)
def test_levers_do_not_change_persons(name):
    assert _writes_persons(trees()[name]) == [], name


def test_the_person_write_check_can_fail():
    tree = ast.parse("def f(model, rows):\n    model.pop.level[rows] += 1\n    model.pop.set_status(rows, 2)\n")
    assert len(_writes_persons(tree)) == 2


def test_no_import_cycle_at_import_time():
    graph = import_graph(import_time_only=True)
    assert len(graph) > 50  # the walk found the package
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles


def test_the_cycle_check_sees_function_level_imports_when_asked():
    """The walk reads imports inside functions too (so the import-time filter is what spares them)."""
    every = import_graph(import_time_only=False)
    at_import = import_graph(import_time_only=True)
    assert set(at_import.edges) < set(every.edges)
    assert ("talentsim.processes.training", "talentsim.effects") not in at_import.edges  # type hints only
    assert ("talentsim.model", "talentsim.world") in at_import.edges


def test_importing_plotting_leaves_the_matplotlib_backend_alone():
    """A notebook that picked its backend keeps it when talentsim.plotting is imported."""
    code = (
        "import matplotlib\nmatplotlib.use('svg')\nimport talentsim.plotting\n"
        "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend()"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr


def test_data_the_package_reads_is_inside_the_package():
    """A wheel ships what is under src/talentsim: the default targets and population trends are there."""
    from talentsim.calibrate import DEFAULT_TARGETS
    from talentsim.regional import REGIONAL_POPULATION

    for path in (DEFAULT_TARGETS, REGIONAL_POPULATION):
        assert path.is_file() and path.resolve().is_relative_to(PACKAGE.resolve()), path
