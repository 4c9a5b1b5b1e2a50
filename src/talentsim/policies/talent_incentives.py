"""政策保障 6 强化激励引导: regional packages for high-level digital talent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Rate


class TalentIncentivesSpec(LeverSpec):
    """Housing, hukou, medical care, schooling and spouse jobs for high-level talent."""

    type: Literal["talent_incentives"]
    utility_bonus: float = Field(
        0.5, ge=0.0, le=20.0, description="migration utility of the package for high-level talent (guess)"
    )
    emigration_reduction: Rate = Field(0.3, description="relative fall of high-level emigration (guess)")
    package_yuan: Yuan = Field(100_000, description="public value of a package per arriving high-level person (guess)")


class TalentIncentives(Lever):
    """Regional packages that attract and keep high-level digital talent.

    Plan clause: 政策保障 (六) 强化激励引导 — localities offer high-level digital talent help
    with housing, hukou, medical care, children's schooling and spouses' jobs.

    Units: utility units (the migration logit's scale is ``sigma``); a relative fall of a hazard;
    yuan per package. Mechanism: in the migration choice, covered regions gain ``utility_bonus``
    for persons at the high-level threshold or above; their high-level residents emigrate less.
    Cost: ``package_yuan`` per high-level person arriving in a covered region.
    """

    name = "talent_incentives"
    paid_flow = "new_high_level_arrivals"
    spec_class = TalentIncentivesSpec
    clause = "政策保障 6"
    title_zh = "强化激励引导"
    title_en = "Talent incentives (regional packages)"
    neutral: ClassVar[Mapping[str, Any]] = {"utility_bonus": 0.0, "emigration_reduction": 0.0}
    first_outcome = FirstOutcome(
        "high_level_share_of_covered",
        "last",
        scale=2000.0,
        overrides={"regions": ["West"], "utility_bonus": 2.0},
        text="the covered regions' share of national high-level talent",
        note="checked with the West alone at `utility_bonus` 2: at the default 0.5 the effect, about +0.002, is "
        "as large as the run-to-run noise at test scale",
    )
    unit_costs = (
        UnitCost("package_yuan", "guess", "30,000-1,000,000", "housing and settling packages differ by city and grade"),
    )

    def apply(self, fx: Effects) -> None:
        """Add the package to covered regions."""
        s: TalentIncentivesSpec = self.spec  # type: ignore[assignment]
        fx.talent_incentive += self.per_region(s.utility_bonus)
        fx.emigration_factor *= self.factor(1.0 - s.emigration_reduction)

    def settle(self) -> None:
        """Pay the packages of this month's high-level arrivals."""
        s: TalentIncentivesSpec = self.spec  # type: ignore[assignment]
        if s.package_yuan > 0 and s.utility_bonus > 0:
            self.charge(self.flow("new_high_level_arrivals") * self.covered * s.package_yuan)


register_lever(TalentIncentives)
