"""Shared fixtures: small worlds that run in well under a second; and how xdist shares out the tests."""

from __future__ import annotations

from typing import Any

import pytest

from talentsim.processes import ORDER
from talentsim.scenario import Scenario, default_scenario

SMALL_SCALE = 20000.0  # about 40,000 person-agents


def small(**overrides: object) -> Scenario:
    """The baseline at a coarse scale, with dotted-path overrides (``__`` for dots)."""
    return default_scenario().with_updates(scale=SMALL_SCALE, **overrides)


def only(*enabled: str, **overrides: object) -> Scenario:
    """A small scenario with every process switched off except ``enabled``."""
    switches = {f"processes__{name}__enabled": name in enabled for name in ORDER}
    return small(**switches, **overrides)


@pytest.fixture(scope="session")
def baseline_small() -> Scenario:
    return small()


# Modules whose tests share an expensive module-scoped fixture (a saved comparison, a rendered report, a
# baseline at the default scale, the app server...). Under ``-n 2`` (xdist's ``--dist load``) each of
# them goes to one worker as one unit, so the fixture is built once rather than once per worker; every
# other test is shared out one by one as before. (xdist's own ``--dist loadgroup`` with ``xdist_group``
# marks does the same, but silently stops grouping with pytest 9.2: pytest-dev/pytest-xdist#1386.)
SHARED_FIXTURE_MODULES = frozenset(
    {
        "tests/test_app_browser.py",
        "tests/test_baseline_targets.py",
        "tests/test_compare.py",
        "tests/test_fuzz.py",
        "tests/test_regional_balance.py",
        "tests/test_report.py",
        "tests/test_report_sections.py",
        "tests/test_robustness.py",
        "tests/sweep/test_plot.py",
        "tests/sweep/test_sensitivity.py",
    }
)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist load`` (the default under ``-n``), except that a module of SHARED_FIXTURE_MODULES is one unit."""
    if config.getvalue("dist") != "load":
        return None  # any other --dist: xdist's own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in SHARED_FIXTURE_MODULES else nodeid

    return ModuleGroups(config, log)
