"""Every lever parameter does something: for every lever in the registry, changing any one field
of its schema (one at a time, to another valid value, inside the window) changes the run."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from talentsim.experiment import run_one
from talentsim.policies import LEVERS
from talentsim.policies.base import LeverSpec
from talentsim.scenario import Scenario, default_scenario, validate_scenario

SCALE = 20000.0
# Levers whose effects reach few person-agents in ten months at SCALE (returnee founders, hiring
# weights of returnees and foreigners, field choices of one intake, high-level movers, graduates'
# level chances) are run finer.
FINER = {name: 5000.0 for name in ("international_exchange", "education_expansion")}
FINER |= {"pay_incentives": 5000.0, "talent_incentives": 5000.0}
# bridging_increase acts on course completers who certify: since a first level is rare
# (first_level_rate) they are few, and at 5000 a change of 0.05 in the chance moved none of them
FINER |= {"evaluation_system": 2000.0}
END = "2024-10"  # covers June graduation, September intake and outbound, October contests
COMMON = set(LeverSpec.model_fields)  # type, start, end, regions: tested elsewhere

# Intensities raised so that each lever's effects reach enough person-agents at this coarse scale
# for a changed parameter to show within the horizon; the same base is used with and without the
# change, so each comparison still changes one field only.
VISIBLE: dict[str, dict[str, Any]] = {
    "engineer_training": {"seats_per_year": 2e6, "take_up_rate": 0.5, "duration_months": 3},
    "international_exchange": {"recruits_per_year": 2e5},
    "industry_empowerment": {"composite_seats_per_year": 2e6, "composite_take_up_rate": 0.5},
    "competitions": {"participants_per_year": 5e6},
    "education_expansion": {"teaching_quality_increase": 0.3, "joint_training_increase": 0.3},
    "mobility_channels": {"experts_per_year": 2e5},
    "entrepreneurship": {"extra_incubator_places_per_year": 6e5},
    # a package the same everywhere changes no regional choice: offer it in one region
    "talent_incentives": {"regions": ["West"]},
}
# Scenario settings of the same kind: wage information damps students' noise about wage changes,
# which are under 1 % in ten months, so its effect on field choices shows only with more noise;
# high-level emigration (0.5 % a year) is raised so that a fall of it shows.
SETTINGS: dict[str, dict[str, Any]] = {
    "pay_incentives": {"processes__education__wage_noise_sd": 3.0},
    "talent_incentives": {"processes__international__emigration_rate": 0.2},
}


def _scenario(name: str, params: dict[str, Any]) -> Scenario:
    data = default_scenario().model_dump(mode="python")
    data["scale"] = FINER.get(name, SCALE)
    data["horizon"]["end"] = END
    data["policy"] = [{"type": name, "start": "2024-01", "end": END, **VISIBLE.get(name, {}), **params}]
    return validate_scenario(data, f"<{name}>").with_updates(**SETTINGS.get(name, {}))


def _valid(spec_cls: type[LeverSpec], name: str, field: str, value: Any) -> bool:
    try:
        spec_cls.model_validate({"type": name, **VISIBLE.get(name, {}), field: value})
    except ValidationError:
        return False
    return True


def changed_value(spec_cls: type[LeverSpec], name: str, field: str) -> Any:
    """Another valid value of ``field``: a number scaled or stepped, a list shortened or scaled."""
    value = VISIBLE.get(name, {}).get(field, spec_cls.model_fields[field].get_default(call_default_factory=True))
    if isinstance(value, list):
        candidates = [value[:-1]] if value and isinstance(value[0], str) else [[1.5 * x + 100 for x in value]]
    elif isinstance(value, bool):
        candidates = [not value]
    elif isinstance(value, int):
        candidates = [value + 1, value - 1, 2 * value]
    else:
        candidates = [1.5 * value if value else 0.5, 0.5 * value, value + 1.0]
    for candidate in candidates:
        if candidate != value and _valid(spec_cls, name, field, candidate):
            return candidate
    raise AssertionError(f"no other valid value for {name}.{field} = {value!r}")


CASES = [
    (name, field)
    for name, (spec_cls, _) in LEVERS.items()
    for field in spec_cls.model_fields
    if field not in COMMON
]


@functools.lru_cache(maxsize=16)
def _reference(name: str) -> pd.DataFrame:
    return run_one(_scenario(name, {}), 1)


def test_every_schema_field_is_covered():
    fields = {(n, f) for n, (spec_cls, _) in LEVERS.items() for f in spec_cls.model_fields}
    assert {c for c in CASES} == {(n, f) for n, f in fields if f not in COMMON}
    assert len(CASES) > 50


@pytest.mark.parametrize(("name", "field"), CASES)
def test_changing_one_lever_parameter_changes_the_run(name, field):
    spec_cls = LEVERS[name][0]
    value = changed_value(spec_cls, name, field)
    changed = run_one(_scenario(name, {field: value}), 1)
    reference = _reference(name)
    same = changed.shape == reference.shape and changed["value"].equals(reference["value"])
    assert not same, f"{name}.{field} -> {value!r} left the run unchanged"
