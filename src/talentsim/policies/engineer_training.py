"""重点任务 1 数字技术工程师培育项目: the digital technology engineer training programme."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from talentsim.constants import DIGITAL_FIELDS, EMPLOYED, MAX_LEVEL
from talentsim.effects import CourseOffer, Effects, Eligibility
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.rates import monthly
from talentsim.schema import Count, Rate

if TYPE_CHECKING:
    from talentsim.model import TalentModel

PRIORITY_FIELDS = ["big_data", "ai", "smart_manufacturing", "integrated_circuits", "data_security"]


class EngineerTrainingSpec(LeverSpec):
    """Graded, field-specific engineer training seats with certificates that link to titles."""

    type: Literal["engineer_training"]
    seats_per_year: Count = Field(80_000, description="trainees a year, national (MOHRSS: about 80,000 a year)")
    fields: list[str] = Field(default_factory=lambda: list(PRIORITY_FIELDS), description="fields named in the plan")
    min_level: int = Field(2, ge=1, le=MAX_LEVEL, description="lowest level admitted (guess)")
    take_up_rate: Rate = Field(0.1, description="annual chance an eligible worker applies (guess)")
    duration_months: int = Field(6, ge=1, le=36, description="course length (guess)")
    pass_rate: Rate = Field(0.85, description="chance of completing (guess)")
    level_gain: int = Field(1, ge=0, le=3, description="levels gained on completion (guess)")
    cost_per_trainee: Yuan = Field(10_000, description="public cost per trainee, yuan (guess)")

    @field_validator("fields")
    @classmethod
    def _fields(cls, v: list[str]) -> list[str]:
        for f in v:
            if f not in DIGITAL_FIELDS:
                raise ValueError(f"unknown field {f!r}; expected one of {', '.join(DIGITAL_FIELDS)}")
        return v


class EngineerTraining(Lever):
    """Engineer training seats for employed digital workers in the plan's priority fields.

    Plan clause: 重点任务 (一) 实施数字技术工程师培育项目 — standards, courses, graded training and
    social evaluation in big data, AI, smart manufacturing, integrated circuits and data security;
    a professional-technical grade certificate can be recognised as the matching title.

    Units: ``seats_per_year`` trainees a year nationally, split over covered regions by labour
    force. Mechanism: each month, employed persons in the listed fields at ``min_level`` or above
    apply at the monthly hazard of ``take_up_rate``; seats go to applicants at random; after
    ``duration_months`` a trainee completes with ``pass_rate``, gains ``level_gain`` levels and
    is certified (the certificate is the title link: it weights hiring and pays a premium).
    Cost: ``cost_per_trainee`` per enrolment.
    """

    name = "engineer_training"
    spec_class = EngineerTrainingSpec
    clause = "重点任务 1"
    title_zh = "数字技术工程师培育项目"
    title_en = "Digital technology engineer training"
    neutral: ClassVar[Mapping[str, Any]] = {"seats_per_year": 0.0, "take_up_rate": 0.0}
    first_outcome = FirstOutcome("new_certified", "sum", scale=2000.0)
    unit_costs = (
        UnitCost(
            "cost_per_trainee",
            "guess",
            "2,000-10,000",
            "the programme's implementation measures (MOHRSS 2021, summarised at px.cie.org.cn) pay trainees "
            "who pass the ordinary vocational-training subsidy under local rules, not a programme-specific sum, "
            "so the public cost is of the order of those subsidies (the skill-upgrade caps are 1,000-2,000); "
            "10,000 (a whole graded course paid publicly) is the top",
        ),
    )

    def __init__(self, spec: EngineerTrainingSpec, model: TalentModel, index: int) -> None:
        super().__init__(spec, model, index)
        self.course = model.register_course(
            "engineer",
            pass_rate=spec.pass_rate,
            level_gain=spec.level_gain,
            certification_rate=1.0,
            duration_months=spec.duration_months,
        )
        # employed persons in the listed fields, from min_level up to one below the top
        self.eligibility = Eligibility(
            status=EMPLOYED,
            min_level=spec.min_level,
            max_level=MAX_LEVEL - 1,
            fields=tuple(DIGITAL_FIELDS.index(f) for f in spec.fields),
        )
        self.offer: CourseOffer | None = None

    def apply(self, fx: Effects) -> None:
        """Offer this month's engineer-training seats."""
        s: EngineerTrainingSpec = self.spec  # type: ignore[assignment]
        self.offer = None
        if s.seats_per_year <= 0 or s.take_up_rate <= 0:
            return
        self.offer = CourseOffer(
            lever=self.name,
            course=self.course,
            seats=self.by_labour_force(s.seats_per_year),
            take_up=float(monthly(s.take_up_rate)),
            eligibility=self.eligibility,
            stream=self.stream,
        )
        fx.course_offers.append(self.offer)

    def settle(self) -> None:
        """Pay for this month's enrolments in the course."""
        self.pay_per_enrolment(self.offer, self.spec.cost_per_trainee)  # type: ignore[attr-defined]


register_lever(EngineerTraining)
