"""talentsim: an agent-based simulator of digital-talent pipeline policy, built on Mesa.

Quick use::

    import talentsim
    result = talentsim.run(talentsim.load_scenario("scenarios/baseline.toml"), seed=1, replicates=3)
    result.timeseries.head()
    result.plot()
"""

from talentsim.experiment import Result, run
from talentsim.model import TalentModel
from talentsim.scenario import Scenario, ScenarioError, default_scenario, load_scenario

__version__ = "0.1.0"

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
