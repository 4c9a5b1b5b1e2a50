"""The processes of the monthly step, one module each; ``ORDER`` is the order they run in.

Each module has ``step(model)``. The order and what each does is documented once, in
:class:`talentsim.model.TalentModel`. ``contests`` runs inside the training step (it is switched
with training); ``search`` is the directed search that matching and migration share.

Processes read the levers' effects from :mod:`talentsim.effects` and never import
:mod:`talentsim.policies` (``tests/test_architecture.py`` keeps it so).
"""

from talentsim.processes import (
    calendar,
    contests,
    demand,
    demography,
    education,
    entrepreneurship,
    international,
    matching,
    migration,
    training,
    wages,
)

ORDER: tuple[str, ...] = (
    "demand",
    "education",
    "training",
    "matching",
    "wages",
    "migration",
    "international",
    "entrepreneurship",
    "demography",
)

__all__ = [
    "ORDER",
    "calendar",
    "contests",
    "demand",
    "demography",
    "education",
    "entrepreneurship",
    "international",
    "matching",
    "migration",
    "training",
    "wages",
]
