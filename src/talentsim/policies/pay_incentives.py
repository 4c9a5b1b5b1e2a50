"""政策保障 3 完善分配制度: pay that rewards digital skill."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Rate


class PayIncentivesSpec(LeverSpec):
    """High-level pay premium, published wage information, tech-transfer rewards."""

    type: Literal["pay_incentives"]
    high_level_premium: float = Field(0.1, ge=0.0, le=2.0, description="wage premium of high-level hires (guess)")
    wage_information: Rate = Field(
        0.5, description="share of students' wage-expectation noise removed by published wage data (guess)"
    )
    tech_transfer_increase: float = Field(
        0.3, ge=0.0, le=20.0, description="relative rise of researchers' (level 6+) founding hazard (guess)"
    )
    information_cost_per_month: Yuan = Field(
        2_000_000, description="public cost of publishing wage information a month, yuan (guess)"
    )


class PayIncentives(Lever):
    """Pay high-level digital talent more and tell students what digital jobs pay.

    Plan clause: 政策保障 (三) 完善分配制度 — pay by value for digital talent, higher pay for
    high-level talent, publication of wage price information for digital occupations, and
    rewards for researchers' technology transfer.

    Units: a wage premium (share), the share of expectation noise removed, a relative rise of a
    hazard. Mechanism: hires at level ≥ the high-level threshold earn the premium (employers
    pay: no public cost); students choose fields with less noise in their wage expectations;
    persons at level 6 and above found startups more often. The premium and the information act
    nationally. Cost: ``information_cost_per_month`` while wage information is published.
    """

    name = "pay_incentives"
    spec_class = PayIncentivesSpec
    clause = "政策保障 3"
    title_zh = "完善分配制度"
    title_en = "Pay that rewards digital skill"
    neutral: ClassVar[Mapping[str, Any]] = {
        "high_level_premium": 0.0,
        "wage_information": 0.0,
        "tech_transfer_increase": 0.0,
    }
    first_outcome = FirstOutcome("mean_wage_digital", "last")
    unit_costs = (
        UnitCost("information_cost_per_month", "guess", "500,000-10,000,000", "a national wage-information service"),
    )

    def apply(self, fx: Effects) -> None:
        """Set the premium, cut expectation noise, raise researchers' founding."""
        s: PayIncentivesSpec = self.spec  # type: ignore[assignment]
        fx.high_level_premium += s.high_level_premium
        fx.wage_noise_factor *= 1.0 - s.wage_information
        fx.researcher_founding_factor *= 1.0 + s.tech_transfer_increase
        if s.wage_information > 0 and s.information_cost_per_month > 0:
            self.charge(s.information_cost_per_month)


register_lever(PayIncentives)
