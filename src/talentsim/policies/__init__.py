"""The action plan's measures as policy levers, one module each, and their registry.

Every module of this package that defines a lever registers it (:func:`register_lever`) when the
package is imported; ``LEVERS`` maps each scenario ``type`` to its spec (the ``[[policy]]``
table's schema) and its run-time class, in the plan's order. ``PolicySpec`` is the tagged union
the scenario schema uses, built from the registry, so an unknown ``type`` is refused with the
list of valid ones. A lever defined elsewhere (a study's own measure) is added the same way.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from talentsim.effects import ContestOffer, CourseOffer, Effects, Eligibility
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost
from talentsim.policies.registry import LEVERS, lever_names, policy_spec, register_lever, unregister_lever

# Modules of this package that are not levers.
_SUPPORT = frozenset({"base", "effects", "registry"})

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _SUPPORT:
        importlib.import_module(f"{__name__}.{_module}")


def __getattr__(name: str) -> Any:
    """``LEVER_NAMES`` and ``PolicySpec``, read from the registry as it is now."""
    if name == "LEVER_NAMES":
        return lever_names()
    if name == "PolicySpec":
        return policy_spec()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LEVERS",
    "LEVER_NAMES",
    "ContestOffer",
    "CourseOffer",
    "Effects",
    "Eligibility",
    "FirstOutcome",
    "Lever",
    "LeverSpec",
    "PolicySpec",
    "UnitCost",
    "lever_names",
    "policy_spec",
    "register_lever",
    "unregister_lever",
]
