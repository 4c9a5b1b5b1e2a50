"""重点任务 4 创新创业行动: digital innovation and entrepreneurship."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Count

MARKET_REGIONS = ("Beijing", "Shanghai", "Guangdong")


class EntrepreneurshipSpec(LeverSpec):
    """Startup support, incubators, talent markets and personnel-file services."""

    type: Literal["entrepreneurship"]
    founding_increase: float = Field(0.5, ge=0.0, le=20.0, description="relative rise of the founding hazard (guess)")
    extra_incubator_places_per_year: Count = Field(
        60_000, description="extra founders incubators can host a year, national (guess)"
    )
    exit_reduction: float = Field(0.2, ge=0.0, le=1.0, description="relative fall of startups' exit hazard (guess)")
    market_regions: list[str] = Field(
        default_factory=lambda: list(MARKET_REGIONS),
        description="regions with national digital talent markets (the plan names Beijing, Shanghai, the Bay Area)",
    )
    market_efficiency_increase: float = Field(
        0.05, ge=0.0, le=2.0, description="relative rise of matching efficiency in market regions (guess)"
    )
    moving_cost_reduction: float = Field(
        0.3, ge=0.0, le=100.0, description="utility units off the moving cost (personnel-file services; guess)"
    )
    cost_per_startup: Yuan = Field(50_000, description="public support per founder, yuan (guess)")
    cost_per_incubator_place: Yuan = Field(20_000, description="public cost per extra incubator place, yuan (guess)")


class Entrepreneurship(Lever):
    """Make founding digital startups easier and the talent market work better.

    Plan clause: 重点任务 (四) 开展数字人才创新创业行动 — entrepreneurship support, incubators,
    national-level talent markets in Beijing, Shanghai and the Guangdong-Hong Kong-Macao Greater
    Bay Area, and personnel-file services that ease mobility.

    Units: relative rises and falls of hazards and efficiency; places a year nationally (split
    by labour force over covered regions); utility units for the moving cost. Mechanism: higher
    founding and lower startup-exit hazards in covered regions, more incubator capacity, a higher
    matching efficiency in ``market_regions`` (if covered), and a lower moving cost everywhere
    (a national service). Cost: ``cost_per_startup`` per founder in covered regions (while founding support is on) and
    ``cost_per_incubator_place`` per extra place.
    """

    name = "entrepreneurship"
    paid_flow = "new_startups"
    spec_class = EntrepreneurshipSpec
    clause = "重点任务 4"
    title_zh = "数字人才创新创业行动"
    title_en = "Digital innovation and entrepreneurship"
    neutral: ClassVar[Mapping[str, Any]] = {
        "founding_increase": 0.0,
        "extra_incubator_places_per_year": 0.0,
        "exit_reduction": 0.0,
        "market_efficiency_increase": 0.0,
        "moving_cost_reduction": 0.0,
    }
    first_outcome = FirstOutcome("new_startups", "sum", scale=2000.0)
    unit_costs = (
        UnitCost("cost_per_startup", "guess", "10,000-200,000", "start-up grants to subsidised loans"),
        UnitCost("cost_per_incubator_place", "guess", "5,000-50,000", "space and services for a year"),
    )

    def apply(self, fx: Effects) -> None:
        """Raise founding, add incubator places, lower exits, ease markets and moves."""
        s: EntrepreneurshipSpec = self.spec  # type: ignore[assignment]
        fx.founding_factor *= self.factor(1.0 + s.founding_increase)
        places = self.by_labour_force(s.extra_incubator_places_per_year)
        fx.extra_incubator += places
        fx.exit_factor *= self.factor(1.0 - s.exit_reduction)
        markets = self.covered & [r in s.market_regions for r in self.model.region_names]
        fx.matching_factor *= [1.0 + s.market_efficiency_increase if m else 1.0 for m in markets]
        fx.moving_cost_reduction += s.moving_cost_reduction
        if s.cost_per_incubator_place > 0 and places.any():
            self.charge(places * s.cost_per_incubator_place)

    def settle(self) -> None:
        """Pay support to this month's founders in covered regions."""
        s: EntrepreneurshipSpec = self.spec  # type: ignore[assignment]
        if s.cost_per_startup > 0 and (s.founding_increase > 0 or s.exit_reduction > 0):
            self.charge(self.flow("new_startups") * self.covered * s.cost_per_startup)


register_lever(Entrepreneurship)
