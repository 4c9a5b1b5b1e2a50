"""重点任务 3 国际交流: international exchange and cooperation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Count


class InternationalExchangeSpec(LeverSpec):
    """Overseas recruitment, returns, returnee startups."""

    type: Literal["international_exchange"]
    recruits_per_year: Count = Field(10_000, description="overseas digital talent recruited a year, national (guess)")
    return_increase: float = Field(0.2, ge=0.0, le=10.0, description="relative rise of the return hazard (guess)")
    returnee_startup_increase: float = Field(
        1.0, ge=0.0, le=20.0, description="relative rise of returnees' founding hazard (guess)"
    )
    cost_per_recruit: Yuan = Field(200_000, description="public cost per overseas recruit, yuan (guess)")
    cost_per_returnee: Yuan = Field(20_000, description="public support per returnee, yuan (guess)")


class InternationalExchange(Lever):
    """Recruit digital talent from abroad and draw the pool abroad home.

    Plan clause: 重点任务 (三) 开展数字人才国际交流 — recruit urgently needed overseas digital
    talent, support returnees' innovation and entrepreneurship, international exchange.

    Units: ``recruits_per_year`` persons a year nationally, placed in covered regions by labour
    force; ``return_increase`` and ``returnee_startup_increase`` relative rises of hazards.
    Mechanism: more foreign arrivals (at the scenario's foreign level), a higher monthly return
    hazard of the pool abroad, and a higher founding hazard for returnees. Outbound training
    stays are not modelled (a simplification). Cost: ``cost_per_recruit`` per quota place
    funded and ``cost_per_returnee`` per returnee in covered regions (while return support is on).
    """

    name = "international_exchange"
    paid_flow = "new_returnees"
    spec_class = InternationalExchangeSpec
    clause = "重点任务 3"
    title_zh = "数字人才国际交流活动"
    title_en = "International exchange of digital talent"
    neutral: ClassVar[Mapping[str, Any]] = {
        "recruits_per_year": 0.0,
        "return_increase": 0.0,
        "returnee_startup_increase": 0.0,
    }
    first_outcome = FirstOutcome("new_returnees", "sum", scale=2000.0)
    unit_costs = (
        UnitCost("cost_per_recruit", "guess", "100,000-1,000,000", "local packages for overseas talent vary tenfold"),
        UnitCost("cost_per_returnee", "guess", "5,000-50,000", "one-off start-up and settling support"),
    )

    def apply(self, fx: Effects) -> None:
        """Add recruits and raise return and returnee-founding hazards."""
        s: InternationalExchangeSpec = self.spec  # type: ignore[assignment]
        recruits = self.by_labour_force(s.recruits_per_year)
        fx.extra_foreign += recruits
        fx.return_factor *= 1.0 + s.return_increase
        fx.returnee_founding_factor *= 1.0 + s.returnee_startup_increase
        if s.cost_per_recruit > 0 and recruits.any():
            self.charge(recruits * s.cost_per_recruit)

    def settle(self) -> None:
        """Pay support to this month's returnees in covered regions."""
        s: InternationalExchangeSpec = self.spec  # type: ignore[assignment]
        if s.cost_per_returnee > 0 and (s.return_increase > 0 or s.returnee_startup_increase > 0):
            self.charge(self.flow("new_returnees") * self.covered * s.cost_per_returnee)


register_lever(InternationalExchange)
