"""Warnings about scenarios that validate but probably do not say what was meant.

A lever whose window lies wholly outside the horizon never acts, and a region listed twice in a
lever's regions is covered once. Both are allowed (a scenario may be run with another horizon,
and repeating a region does no harm), so they are warnings, not errors: :func:`load_scenario`
issues them as :class:`ScenarioWarning` and the ``talentsim`` command prints them.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from talentsim.scenario import Scenario


class ScenarioWarning(UserWarning):
    """A scenario that validates but probably does not say what was meant."""


def scenario_warnings(spec: Scenario) -> list[tuple[str, str]]:
    """One ``(field, message)`` pair per suspicious setting of a validated scenario."""
    found = []
    start, end = spec.horizon.start, spec.horizon.end
    for i, lever in enumerate(spec.policy):
        where = f"policy[{i}] ({lever.type})"
        if lever.end < start or lever.start > end:
            found.append(
                (
                    where,
                    f"window {lever.start} to {lever.end} lies wholly outside the horizon {start} to {end}: "
                    "the lever never acts",
                )
            )
        for name in type(lever).model_fields:
            if not name.endswith("regions"):
                continue
            listed = getattr(lever, name) or []
            twice = sorted({r for r in listed if listed.count(r) > 1}, key=listed.index)
            for region in twice:
                found.append((f"{where}.{name}", f"region {region!r} is listed {listed.count(region)} times"))
    return found


def warn_about(spec: Scenario, path: str | Path) -> None:
    """Issue a :class:`ScenarioWarning` for each of :func:`scenario_warnings`, naming the file and field."""
    for field, message in scenario_warnings(spec):
        warnings.warn(f"{path}: {field}: {message}", ScenarioWarning, stacklevel=3)
