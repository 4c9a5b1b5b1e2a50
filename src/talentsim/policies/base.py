"""What every lever has: a window, the regions it covers, and public cost accounting."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import Field, field_validator, model_validator

from talentsim.schema import Count, StrictModel, check_month, month_index

if TYPE_CHECKING:
    from talentsim.effects import CourseOffer, Effects
    from talentsim.model import TalentModel

PLAN_START = "2024-04"  # the plan was issued on 2 April 2024
PLAN_END = "2026-12"


class LeverSpec(StrictModel):
    """The fields of every ``[[policy]]`` table.

    ``start`` and ``end`` are inclusive months; a window partly or wholly outside the horizon is
    allowed (the lever then acts only in the months they share). ``regions`` lists the regions
    covered; leave it out for all.
    """

    type: str
    start: str = Field(PLAN_START, description="first month the lever acts (inclusive)")
    end: str = Field(PLAN_END, description="last month the lever acts (inclusive)")
    regions: list[str] | None = Field(None, description="regions covered (default: all)")

    _v_start = field_validator("start")(check_month)
    _v_end = field_validator("end")(check_month)

    @model_validator(mode="after")
    def _window(self) -> LeverSpec:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Lever:
    """A lever at run time.

    Subclasses set ``name`` and implement :meth:`apply` (combine this month's effects) and, when
    their cost depends on what happened, :meth:`settle` (charge costs after the month's processes).

    Attributes:
        spec: the lever's scenario entry.
        model: the model it acts on.
        covered: boolean mask of covered regions.
        stream: name of the lever's own random stream.
    """

    name: ClassVar[str]
    # The monthly flow whose units the lever pays for when they would also happen without it
    # (returnees supported, packages granted, subsidies paid...); None when the lever pays only
    # for what it creates (seats, places, positions). Read by the deadweight measure of
    # :meth:`talentsim.compare.Comparison.cost_effectiveness`.
    paid_flow: ClassVar[str | None] = None

    def __init__(self, spec: LeverSpec, model: TalentModel, index: int) -> None:
        self.spec = spec
        self.model = model
        names = model.region_names
        self.covered = np.array([spec.regions is None or r in spec.regions for r in names])
        self.stream = f"policy:{index}:{spec.type}"
        self._start = month_index(spec.start)
        self._end = month_index(spec.end)

    def active(self) -> bool:
        """Whether the current month is inside the lever's window."""
        now = self.model.start_index + self.model.month - 1
        return self._start <= now <= self._end

    def apply(self, fx: Effects) -> None:
        """Combine this month's effects into ``fx``."""
        raise NotImplementedError

    def settle(self) -> None:
        """Charge costs that depend on the month's outcomes (default: none)."""

    def charge(self, yuan_by_region: np.ndarray | float) -> None:
        """Add public spending (yuan, by region or spread over covered regions)."""
        yuan = np.asarray(yuan_by_region, dtype=np.float64)
        if yuan.ndim == 0:
            share = self.covered / max(self.covered.sum(), 1)
            yuan = yuan * share
        self.model.policy_cost[self.name] += yuan

    def pay_per_enrolment(self, offer: CourseOffer | None, yuan_per_trainee: float) -> None:
        """Charge ``yuan_per_trainee`` for each enrolment the training process reported on ``offer``."""
        if offer is None or offer.enrolled is None or yuan_per_trainee <= 0 or not offer.enrolled.any():
            return
        self.charge(offer.enrolled * self.model.scale * yuan_per_trainee)

    def per_region(self, value: float) -> np.ndarray:
        """``value`` in covered regions and 0 elsewhere."""
        return np.where(self.covered, value, 0.0)

    def factor(self, value: float) -> np.ndarray:
        """A multiplicative factor ``value`` in covered regions and 1 elsewhere."""
        return np.where(self.covered, value, 1.0)

    def by_labour_force(self, real_per_year: float) -> np.ndarray:
        """A yearly national quantity as a monthly one, split over covered regions by labour force."""
        share = np.array([r.spec.labour_force_share for r in self.model.regions]) * self.covered
        total = share.sum()
        return real_per_year / 12.0 * (share / total if total > 0 else share)

    def flow(self, name: str) -> np.ndarray:
        """This month's flow ``name`` by region, real people."""
        return self.model.metrics.month_flow(name) * self.model.scale


Yuan = Count  # a non-negative amount of money in yuan
