"""政策保障 4 提高投入水平: public money for training and evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost
from talentsim.policies.registry import register_lever
from talentsim.schema import Rate

if TYPE_CHECKING:
    from talentsim.model import TalentModel


class FundingSpec(LeverSpec):
    """Training subsidies by certificate level and firm education funds."""

    type: Literal["funding"]
    subsidy_by_band: list[float] = Field(
        default_factory=lambda: [1000.0, 1500.0, 2000.0],
        description="subsidy per trainee, yuan, by band of the level gained (MOHRSS caps 1,000/1,500/2,000)",
    )
    firm_fund_take_up_increase: float = Field(
        0.2, ge=0.0, le=20.0, description="relative rise of training take-up from firm education funds (guess)"
    )
    coverage: Rate = Field(1.0, description="share of the subsidy cap paid (guess)")

    @field_validator("subsidy_by_band")
    @classmethod
    def _bands(cls, v: list[float]) -> list[float]:
        if len(v) != 3 or any(x < 0 for x in v):
            raise ValueError(f"expected 3 non-negative amounts (junior, intermediate, senior), got {v}")
        return v


class Funding(Lever):
    """Subsidise digital training.

    Plan clause: 政策保障 (四) 提高投入水平 — vocational-training subsidies for digital skills,
    skill-upgrade subsidies from unemployment insurance (caps of 1,000 / 1,500 / 2,000 yuan by
    certificate level), firms' staff education funds, and subsidies open to non-local workers.

    Units: yuan per trainee by the band of the level the course leads to, times ``coverage``; a
    relative rise of take-up. Mechanism: the training choice sees the private cost net of the
    subsidy (so more people enrol), and take-up rises, both in covered regions only. Everyone
    in covered regions is eligible, whatever their hukou (the plan's portability clause). Cost:
    the subsidy of every enrolment in covered regions, paid on the enrolments the training
    process reports.
    """

    name = "funding"
    paid_flow = "new_trainees_regular"
    spec_class = FundingSpec
    clause = "政策保障 4"
    title_zh = "提高投入水平"
    title_en = "Higher public funding"
    neutral: ClassVar[Mapping[str, Any]] = {"subsidy_by_band": [0.0, 0.0, 0.0], "firm_fund_take_up_increase": 0.0}
    # Regular training seats bind at their default (4 M a year, oversubscribed in every region once
    # unused seats carry over), so subsidies change who trains, not how many: the mechanism, more
    # applications, is checked with seats that do not bind.
    first_outcome = FirstOutcome(
        "new_trainees",
        "sum",
        settings={"processes__training__seats_per_year": 4e7},
        note="checked with regular seats raised tenfold: at the default 4 M seats a year regular training is "
        "oversubscribed, so subsidies change who trains and what it costs, not how many",
    )
    unit_costs = (
        UnitCost(
            "subsidy_by_band",
            "MOHRSS subsidy caps",
            "0-2,000 by band, up to the caps (`coverage`)",
            "the caps are upper bounds",
            default="1,000 / 1,500 / 2,000",
        ),
    )

    def __init__(self, spec: FundingSpec, model: TalentModel, index: int) -> None:
        super().__init__(spec, model, index)
        # yuan per trainee, by region and band of the level gained
        self.subsidy = self.covered[:, None] * (np.asarray(spec.subsidy_by_band) * spec.coverage)[None, :]

    def apply(self, fx: Effects) -> None:
        """Offer subsidies and raise take-up."""
        s: FundingSpec = self.spec  # type: ignore[assignment]
        if self.subsidy.any():
            fx.training_subsidy = fx.training_subsidy + self.subsidy
        fx.training_take_up_factor *= self.factor(1.0 + s.firm_fund_take_up_increase)

    def settle(self) -> None:
        """Pay the subsidies of this month's regular enrolments in covered regions."""
        fx = self.model.fx
        region, band = fx.regular_enrolled_region, fx.regular_enrolled_band
        if self.subsidy.any() and len(region):
            paid = np.bincount(region, weights=self.subsidy[region, band], minlength=self.model.n_regions)
            self.charge(paid * self.model.scale)


register_lever(Funding)
