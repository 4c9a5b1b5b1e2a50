"""The processes of the monthly step, one module each; ``ORDER`` is the order they run in.

Each module has ``step(model)``. The order and what each does is documented once, in
:class:`talentsim.model.TalentModel`.
"""

from talentsim.processes import (
    calendar,
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
