"""The lever registry: the one list of levers that scenarios, runs, docs and tests read.

A lever module registers its :class:`~talentsim.policies.base.Lever` subclass with
:func:`register_lever`; the shipped modules of this package do so when ``talentsim.policies`` is
imported. The scenario schema's ``[[policy]]`` union (:func:`policy_spec`) is built from the
registry and rebuilt when a lever is added or removed, through the listeners registered with
:func:`on_change` (the scenario module listens).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args

from pydantic import Field

if TYPE_CHECKING:
    from talentsim.policies.base import Lever, LeverSpec

# type -> (spec class, lever class), in the plan's order: six tasks, then six guarantees, then
# any other lever in the order registered.
LEVERS: dict[str, tuple[type[LeverSpec], type[Lever]]] = {}
_LISTENERS: list[Callable[[], None]] = []
_SECTIONS = ("重点任务", "政策保障")
_CLAUSE = re.compile(r"^(\S+) (\d+)$")


def plan_position(clause: str) -> tuple[int, int]:
    """Sort key of a lever by its clause: tasks 1-6, guarantees 1-6, then anything else."""
    match = _CLAUSE.match(clause)
    if match and match.group(1) in _SECTIONS:
        return _SECTIONS.index(match.group(1)), int(match.group(2))
    return len(_SECTIONS), 0


def _problems(lever: type[Lever]) -> list[str]:
    """What is missing or inconsistent in a lever's declarations."""
    from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost

    if not (isinstance(lever, type) and issubclass(lever, Lever)):
        return [f"{lever!r} is not a subclass of talentsim.policies.Lever"]
    out = []
    for attr in ("name", "spec_class", "clause", "title_zh", "title_en", "neutral", "first_outcome"):
        if not hasattr(lever, attr):
            out.append(f"declare {attr}")
    if out:
        return out
    spec = lever.spec_class
    if not (isinstance(spec, type) and issubclass(spec, LeverSpec)):
        return [f"spec_class {spec!r} is not a subclass of LeverSpec"]
    tags = get_args(spec.model_fields["type"].annotation)
    if tags != (lever.name,):
        out.append(f'{spec.__name__}.type must be Literal["{lever.name}"], got {tags}')
    doc = lever.__doc__ or ""
    if "Plan clause" not in doc or "Cost" not in doc:
        out.append("the class docstring must state the plan clause ('Plan clause: ...') and the cost ('Cost: ...')")
    fields = set(spec.model_fields) - set(LeverSpec.model_fields)
    out += [f"neutral: {k!r} is not a parameter" for k in lever.neutral if k not in fields]
    if not isinstance(lever.first_outcome, FirstOutcome):
        out.append("first_outcome must be a FirstOutcome")
    costs = {c.parameter for c in lever.unit_costs if isinstance(c, UnitCost)}
    out += [f"unit_costs: {c!r} is not a parameter" for c in costs - fields]
    out += [f"unit_costs: state the basis of {f!r}" for f in sorted(fields - costs) if is_cost_field(f)]
    return out


def is_cost_field(name: str) -> bool:
    """Whether a lever parameter is a unit cost in yuan (it then needs a :class:`UnitCost`)."""
    return "cost_per" in name or name.endswith("yuan") or name.startswith("subsidy")


def register_lever(lever: type[Lever]) -> type[Lever]:
    """Add a lever to the registry (usable as a class decorator); returns it.

    Scenarios then accept ``[[policy]]`` tables of its type, runs build it, its costs are
    recorded as ``cum_policy_cost_<name>``, and docs/levers.md and the lever tests include it.
    Registering the same class again is a no-op.

    Raises:
        TypeError: the class lacks a declaration or its declarations disagree (the message
            lists what to fix), or another lever has the same name.
    """
    problems = _problems(lever)
    if problems:
        raise TypeError(f"lever {getattr(lever, 'name', lever)!r}: " + "; ".join(problems))
    known = LEVERS.get(lever.name)
    if known is not None:
        if known[1] is lever:
            return lever
        raise TypeError(f"lever {lever.name!r} is already registered by {known[1].__module__}.{known[1].__name__}")
    LEVERS[lever.name] = (lever.spec_class, lever)
    order = sorted(LEVERS.items(), key=lambda item: plan_position(item[1][1].clause))  # stable
    LEVERS.clear()
    LEVERS.update(order)
    _changed()
    return lever


def unregister_lever(name: str) -> None:
    """Remove a lever from the registry (for tests that add one).

    Raises:
        KeyError: no such lever.
    """
    del LEVERS[name]
    _changed()


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener()`` whenever a lever is registered or removed."""
    _LISTENERS.append(listener)


def _changed() -> None:
    for listener in _LISTENERS:
        listener()


def lever_names() -> tuple[str, ...]:
    """The registered lever types, in the plan's order."""
    return tuple(LEVERS)


def policy_spec() -> Any:
    """The tagged union of the registered levers' specs, discriminated by ``type``."""
    specs = tuple(spec for spec, _ in LEVERS.values())
    return Annotated[Union[specs], Field(discriminator="type")]  # noqa: UP007 - a union built at run time
