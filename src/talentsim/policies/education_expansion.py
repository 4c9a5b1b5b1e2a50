"""政策保障 1 优化培养政策: more and better digital programmes in universities and colleges."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Rate


class EducationExpansionSpec(LeverSpec):
    """Digital seats, teaching quality and joint training with firms."""

    type: Literal["education_expansion"]
    digital_seat_growth: float = Field(0.2, ge=0.0, le=5.0, description="relative rise of digital seats (guess)")
    teaching_quality_increase: Rate = Field(0.05, description="added chance a digital graduate gains a level (guess)")
    joint_training_increase: Rate = Field(0.05, description="added share of seats in joint training (guess)")
    cost_per_extra_seat: Yuan = Field(
        60_000, description="public cost per extra digital student admitted, whole programme, yuan (guess)"
    )


class EducationExpansion(Lever):
    """Expand and improve digital programmes.

    Plan clause: 政策保障 (一) 优化培养政策 — universities and vocational colleges adjust majors
    to the digital economy, expand digital programmes, improve teaching, and train jointly with
    firms.

    Units: ``digital_seat_growth`` a relative rise of the digital seats of every vocational and
    undergraduate university group at September intake (total intake rises by the same number
    of seats); added probabilities for teaching quality and joint training (covered regions).
    Mechanism: more students can choose digital fields; digital graduates gain levels more often.
    Cost: ``cost_per_extra_seat`` per extra student admitted, charged at intake.
    """

    name = "education_expansion"
    spec_class = EducationExpansionSpec
    clause = "政策保障 1"
    title_zh = "优化培养政策"
    title_en = "Better training policies (education)"
    neutral: ClassVar[Mapping[str, Any]] = {
        "digital_seat_growth": 0.0,
        "teaching_quality_increase": 0.0,
        "joint_training_increase": 0.0,
    }
    first_outcome = FirstOutcome("n_digital_students", "last")
    unit_costs = (
        UnitCost(
            "cost_per_extra_seat",
            "guess",
            "30,000-150,000",
            "public funding per student a year times 3-4 years",
            default="60,000 (whole programme)",
        ),
    )

    def apply(self, fx: Effects) -> None:
        """Grow digital seats and raise teaching quality and joint training."""
        s: EducationExpansionSpec = self.spec  # type: ignore[assignment]
        fx.digital_seat_growth += self.per_region(s.digital_seat_growth)
        fx.teaching_quality_bonus += self.per_region(s.teaching_quality_increase)
        fx.partnership_bonus += self.per_region(s.joint_training_increase)

    def settle(self) -> None:
        """Pay for the extra seats admitted this month."""
        s: EducationExpansionSpec = self.spec  # type: ignore[assignment]
        if s.cost_per_extra_seat > 0:
            self.charge(self.flow("new_extra_digital_seats") * self.covered * s.cost_per_extra_seat)


register_lever(EducationExpansion)
