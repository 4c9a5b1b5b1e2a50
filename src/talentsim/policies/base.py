"""What every lever has: a window, regions, public cost accounting, and its declarations.

The declarations (:class:`Lever`) are what the registry, docs/levers.md and the lever tests read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

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


@dataclass(frozen=True)
class FirstOutcome:
    """The outcome a lever must move up against the baseline on common random numbers.

    Checked by ``tests/policies/test_levers.py`` and listed in docs/levers.md.

    Attributes:
        metric: a metric of the tidy table (national), or a derived outcome the lever tests know.
        how: ``sum`` of a flow over the run, or its ``last`` value.
        scale: the scenario scale the check runs at (finer for small or noisy effects).
        overrides: lever parameters of the check (else the defaults).
        settings: scenario fields set for lever and baseline alike (dotted paths with ``__``).
        note: why the check is set up so, for the docs.
        text: the docs' name of a derived outcome (default: the metric's name).
    """

    metric: str
    how: Literal["sum", "last"]
    scale: float = 10000.0
    overrides: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    text: str = ""


@dataclass(frozen=True)
class UnitCost:
    """What a unit cost parameter is based on, for docs/levers.md's unit-cost table.

    Attributes:
        parameter: the cost field of the lever's spec.
        source: ``guess`` or the publisher of the figure.
        plausible: the range within which the figure is plausible, yuan (``low-high``).
        why: the reasoning behind the default and the range.
        default: the default as the docs write it (default: the spec's default, with thousands
            separators).
    """

    parameter: str
    source: str
    plausible: str
    why: str
    default: str = ""


class Lever:
    """A lever at run time, and its declarations.

    A lever module defines a spec (the ``[[policy]]`` table's schema, a :class:`LeverSpec`) and a
    subclass of this class that declares, in one place, everything the package needs to know
    about it, then registers it with :func:`talentsim.policies.register_lever`:

    - ``name``: the scenario ``type``; ``spec_class``: the spec;
    - ``clause``: the plan's numbering of the measure (``重点任务 1`` .. ``重点任务 6``, ``政策保障 1``
      .. ``政策保障 6``; it orders the registry), ``title_zh`` the plan's own name of the measure
      and ``title_en`` its English name (labels of figures and reports);
    - the class docstring: the plan clause (a paragraph starting ``Plan clause:``), units,
      mechanism and what the cost is charged on (a ``Cost:`` sentence), for docs/levers.md;
    - ``neutral``: parameter values at which the lever does nothing (costs left as they are);
    - ``first_outcome``: the outcome it must move (:class:`FirstOutcome`);
    - ``unit_costs``: the basis of every unit cost parameter (:class:`UnitCost`);
    - ``paid_flow``: see below.

    At run time it implements :meth:`apply` (combine this month's effects) and, when its cost
    depends on what happened, :meth:`settle` (charge costs after the month's processes, from
    what they reported).

    Attributes:
        spec: the lever's scenario entry.
        model: the model it acts on.
        covered: boolean mask of covered regions.
        stream: name of the lever's own random stream.
    """

    name: ClassVar[str]
    spec_class: ClassVar[type[LeverSpec]]
    clause: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    neutral: ClassVar[Mapping[str, Any]]
    first_outcome: ClassVar[FirstOutcome]
    unit_costs: ClassVar[tuple[UnitCost, ...]] = ()
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
