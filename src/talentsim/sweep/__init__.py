"""Parameter sweeps and sensitivity analysis, from a laptop to a Dask cluster.

A model is a function from inputs to outcomes (as in the EMA Workbench): the simulator
(:class:`ScenarioModel`, built from a sweep file) or any Python callable. Inputs are marked as
policy levers or as uncertainties. Designs come from scipy.stats.qmc and SALib; runs go to this
process, to local processes or to Dask, and give the same numbers wherever they run; finished runs
are stored one file each, atomically, so a sweep can be killed and resumed. See ``docs/sweeps.md``.

Example:
    >>> from talentsim.sweep import load_sweep, run_sweep
    >>> sweep = load_sweep("sweeps/sobol_small.toml")  # doctest: +SKIP
    >>> result = run_sweep(sweep, "results/sobol_small", workers=2)  # doctest: +SKIP
    >>> result.sensitivity("n_digital_talent").table  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from talentsim.overrides import resolve_path
    from talentsim.sweep.design import Design, Input, make_design
    from talentsim.sweep.execute import SweepResult, WorkerLost, execute_run, run_design, run_sweep
    from talentsim.sweep.outcomes import ScenarioModel, extract_outcomes
    from talentsim.sweep.sensitivity import Sensitivity, SensitivityError, analyse, analyse_folder
    from talentsim.sweep.spec import Sweep, SweepError, load_sweep
    from talentsim.sweep.store import Store, load_failures, load_outcomes

# Public name -> the module that defines it; imported on first use (PEP 562), so the ``talentsim``
# command can add its sweep subcommands without loading pandas, SALib or Dask.
_LAZY = {
    "Design": "design",
    "Input": "design",
    "make_design": "design",
    "SweepResult": "execute",
    "WorkerLost": "execute",
    "execute_run": "execute",
    "run_design": "execute",
    "run_sweep": "execute",
    "ScenarioModel": "outcomes",
    "extract_outcomes": "outcomes",
    "Sensitivity": "sensitivity",
    "SensitivityError": "sensitivity",
    "analyse": "sensitivity",
    "analyse_folder": "sensitivity",
    "Sweep": "spec",
    "SweepError": "spec",
    "load_sweep": "spec",
    "resolve_path": "spec",
    "Store": "store",
    "load_failures": "store",
    "load_outcomes": "store",
}

__all__ = [
    "Design",
    "Input",
    "ScenarioModel",
    "Sensitivity",
    "SensitivityError",
    "Store",
    "Sweep",
    "SweepError",
    "SweepResult",
    "WorkerLost",
    "analyse",
    "analyse_folder",
    "execute_run",
    "extract_outcomes",
    "load_failures",
    "load_outcomes",
    "load_sweep",
    "make_design",
    "resolve_path",
    "run_design",
    "run_sweep",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it in the package's namespace."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'talentsim.sweep' has no attribute {name!r}")
    value = getattr(import_module(f"talentsim.sweep.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
