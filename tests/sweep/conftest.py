"""Tiny sweeps: the action plan at scale 20000 to 2024-06 (a run takes about a tenth of a second)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentsim.scenario import default_scenario_path

SCENARIOS = default_scenario_path().parent
ACTION_PLAN = SCENARIOS / "action_plan.toml"
REPO = Path(__file__).resolve().parents[2]


def sweep_text(
    design: str = 'method = "lhs"\npoints = 4',
    inputs: str | None = None,
    outcomes: str = 'metrics = ["n_digital_talent", "new_trained"]\nregions = ["all", "West"]',
    head: str = 'name = "tiny"\nseed = 1\nreplicates = 2',
    scenario: Path = ACTION_PLAN,
    fixed: str = 'scale = 20000\nhorizon.end = "2024-06"',
) -> str:
    """A sweep file's text; every part can be replaced."""
    if inputs is None:
        inputs = (
            '[[input]]\npath = "policy.funding.coverage"\nkind = "lever"\nrange = [0.0, 1.0]\n\n'
            '[[input]]\npath = "processes.matching.alpha"\nname = "alpha"\nkind = "uncertainty"\nrange = [0.3, 0.7]\n'
        )
    return (
        f"{head}\nscenario = {json.dumps(str(scenario))}\n\n[fixed]\n{fixed}\n\n[design]\n{design}\n\n"
        f"{inputs}\n[outcomes]\n{outcomes}\n"
    )


def write_sweep(folder: Path, text: str | None = None, name: str = "sweep.toml", **parts: object) -> Path:
    path = folder / name
    path.write_text(text if text is not None else sweep_text(**parts), encoding="utf-8")  # type: ignore[arg-type]
    return path


@pytest.fixture
def tiny_sweep(tmp_path: Path) -> Path:
    return write_sweep(tmp_path)
