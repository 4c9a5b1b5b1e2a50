"""Shared fixtures: small worlds that run in well under a second."""

from __future__ import annotations

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
