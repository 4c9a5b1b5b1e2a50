"""重点任务 5 赋能产业发展: digital talent for industry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from talentsim.constants import DIGITAL_FIELDS, EMPLOYED, NON_DIGITAL, NON_DIGITAL_JOB, STUDENT
from talentsim.effects import CourseOffer, Effects, Eligibility
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.rates import monthly
from talentsim.schema import Count, Rate

if TYPE_CHECKING:
    from talentsim.model import TalentModel


class IndustryEmpowermentSpec(LeverSpec):
    """Firm-ordered classes, composite upskilling in traditional industry, postdoc positions."""

    type: Literal["industry_empowerment"]
    partnership_increase: Rate = Field(0.1, description="added share of seats in firm-ordered classes (guess)")
    composite_seats_per_year: Count = Field(
        300_000, description="composite (domain + digital) course seats a year for non-digital workers (guess)"
    )
    composite_take_up_rate: Rate = Field(0.05, description="annual chance an eligible worker applies (guess)")
    composite_duration_months: int = Field(3, ge=1, le=36, description="course length (guess)")
    postdoc_positions_per_year: Count = Field(5_000, description="senior research positions created a year (guess)")
    cost_per_class_seat: Yuan = Field(2_000, description="public cost per firm-ordered class seat a year, yuan (guess)")
    cost_per_composite_trainee: Yuan = Field(3_000, description="public cost per composite trainee, yuan (guess)")
    cost_per_postdoc_year: Yuan = Field(150_000, description="public cost per postdoc position a year, yuan (guess)")


class IndustryEmpowerment(Lever):
    """Train for the needs of firms, in digital and in traditional industry.

    Plan clause: 重点任务 (五) 开展数字人才赋能产业发展行动 — order-based (订单式) classes with
    firms, composite digital training of workers in traditional industries, and more postdoctoral
    research positions in digital fields.

    Units: ``partnership_increase`` an added share of seats; seats and positions a year,
    nationally (split over covered regions by labour force). Mechanism: graduates of covered
    regions gain the partnership level chance more often; employed workers in non-digital jobs
    take composite courses (a completer who passes gains a first digital level, in a field they
    choose as students do, with the chance `processes.training.first_level_rate` that every short
    course has, so that the effect per trainee stays in the band of training evaluations; then they
    can move into digital jobs); postdoc positions add senior digital jobs
    to core digital firms (kept once created: a simplification). Cost: per class seat-year (on
    the added share of digital students in covered regions), per composite trainee and per postdoc position-year.
    """

    name = "industry_empowerment"
    spec_class = IndustryEmpowermentSpec
    clause = "重点任务 5"
    title_zh = "数字人才赋能产业发展行动"
    title_en = "Digital talent for industry"
    neutral: ClassVar[Mapping[str, Any]] = {
        "partnership_increase": 0.0,
        "composite_seats_per_year": 0.0,
        "postdoc_positions_per_year": 0.0,
    }
    first_outcome = FirstOutcome("new_trainees", "sum", note="composite course enrolments")
    unit_costs = (
        UnitCost(
            "cost_per_class_seat",
            "guess",
            "500-5,000",
            "the added cost of a firm-ordered class over a regular one",
            default="2,000 a year",
        ),
        UnitCost("cost_per_composite_trainee", "guess", "1,000-5,000", "as skills_upgrade seats"),
        UnitCost("cost_per_postdoc_year", "guess", "100,000-300,000", "a postdoc's pay and overheads"),
    )

    def __init__(self, spec: IndustryEmpowermentSpec, model: TalentModel, index: int) -> None:
        super().__init__(spec, model, index)
        self.course = model.register_course(
            "composite",
            pass_rate=model.spec.processes.training.pass_rate,
            level_gain=1,
            certification_rate=None,
            duration_months=spec.composite_duration_months,
        )
        self.field_mix = np.array([model.spec.initial.field_shares[f] for f in DIGITAL_FIELDS])
        # employed persons in non-digital jobs with no digital level
        self.eligibility = Eligibility(status=EMPLOYED, min_level=0, max_level=0, job=NON_DIGITAL_JOB)
        self.offer: CourseOffer | None = None

    def apply(self, fx: Effects) -> None:
        """Raise partnership chances, offer composite seats, create senior positions."""
        s: IndustryEmpowermentSpec = self.spec  # type: ignore[assignment]
        fx.partnership_bonus += self.per_region(s.partnership_increase)
        self.offer = None
        if s.composite_seats_per_year > 0 and s.composite_take_up_rate > 0:
            self.offer = CourseOffer(
                lever=self.name,
                course=self.course,
                seats=self.by_labour_force(s.composite_seats_per_year),
                take_up=float(monthly(s.composite_take_up_rate)),
                eligibility=self.eligibility,
                stream=self.stream,
                field_choice=self.field_mix,
            )
            fx.course_offers.append(self.offer)
        positions = self.by_labour_force(s.postdoc_positions_per_year)
        fx.extra_senior_jobs += positions
        m = self.model
        months_active = m.start_index + m.month - self._start  # this month included
        cost = positions * months_active * s.cost_per_postdoc_year / 12  # positions created so far, a month
        if s.partnership_increase > 0 and s.cost_per_class_seat > 0:
            # firm-ordered classes are digital classes: only digital students take the seats
            pop = m.pop
            rows = np.flatnonzero((pop.status == STUDENT) & (pop.field < NON_DIGITAL))
            students = np.bincount(pop.region[rows], minlength=m.n_regions) * m.scale * self.covered
            cost = cost + students * s.partnership_increase * s.cost_per_class_seat / 12
        if cost.any():
            self.charge(cost)

    def settle(self) -> None:
        """Pay for this month's composite-course enrolments."""
        self.pay_per_enrolment(self.offer, self.spec.cost_per_composite_trainee)  # type: ignore[attr-defined]


register_lever(IndustryEmpowerment)
