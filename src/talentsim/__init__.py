"""talentsim: an agent-based simulator of digital-talent pipeline policy, built on Mesa.

Quick use::

    import talentsim
    result = talentsim.run(talentsim.load_scenario("scenarios/baseline.toml"), seed=1, replicates=3)
    result.timeseries.head()
    result.plot()

The names below are imported on first use (PEP 562), so ``import talentsim`` and the
``talentsim`` command start without loading Mesa, pandas or the model until they are needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from talentsim.experiment import Result, run
    from talentsim.model import TalentModel
    from talentsim.scenario import Scenario, ScenarioError, default_scenario, load_scenario

__version__ = "0.1.0"

# Public name -> the module that defines it.
_LAZY = {
    "Result": "talentsim.experiment",
    "run": "talentsim.experiment",
    "TalentModel": "talentsim.model",
    "Scenario": "talentsim.scenario",
    "ScenarioError": "talentsim.scenario",
    "default_scenario": "talentsim.scenario",
    "load_scenario": "talentsim.scenario",
}

__all__ = [
    "Result",
    "Scenario",
    "ScenarioError",
    "TalentModel",
    "__version__",
    "default_scenario",
    "load_scenario",
    "run",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it in the package's namespace."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'talentsim' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
