"""政策保障 2 健全评价体系: recognition of digital skills, certificates and titles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Rate


class EvaluationSystemSpec(LeverSpec):
    """Certificates that count: in hiring, in pay, and for foreign and returnee talent."""

    type: Literal["evaluation_system"]
    certificate_weight_increase: float = Field(
        0.5, ge=0.0, le=20.0, description="added hiring weight of a certificate (guess)"
    )
    certificate_premium_increase: float = Field(
        0.03, ge=0.0, le=1.0, description="added certificate wage premium (guess)"
    )
    bridging_increase: Rate = Field(
        0.1, description="added chance a completer certifies (skill-to-title bridging; guess)"
    )
    mutual_recognition_weight: float = Field(
        0.3, ge=0.0, le=20.0, description="relative rise of returnees' and foreigners' hiring weight (guess)"
    )
    cost_per_certificate: Yuan = Field(300, description="public cost per certificate evaluated, yuan (guess)")


class EvaluationSystem(Lever):
    """Make certificates and titles count.

    Plan clause: 政策保障 (二) 健全评价体系 — evaluation standards for digital occupations,
    recognition of skill certificates and bridging between skill levels and professional titles,
    and recognition of overseas qualifications.

    Units: added weights, premia and probabilities; a relative rise for mobile origins.
    Mechanism: in matching a certificate multiplies a searcher's weight by ``certificate_weight``
    plus the increase; the certified earn the added premium on hire; completers certify more
    often; returnees and foreign talent search with a higher weight. These act nationally
    (recognition is a national rule): ``regions`` only limits where certificates are paid for.
    Cost: ``cost_per_certificate`` per certificate in covered regions (while the lever has any
    intensity).
    """

    name = "evaluation_system"
    paid_flow = "new_certified"
    spec_class = EvaluationSystemSpec
    clause = "政策保障 2"
    title_zh = "健全评价体系"
    title_en = "Evaluation system (certificates and titles)"
    neutral: ClassVar[Mapping[str, Any]] = {
        "certificate_weight_increase": 0.0,
        "certificate_premium_increase": 0.0,
        "bridging_increase": 0.0,
        "mutual_recognition_weight": 0.0,
    }
    first_outcome = FirstOutcome("new_certified", "sum", scale=2000.0)
    unit_costs = (UnitCost("cost_per_certificate", "guess", "100-1,000", "the fee of a skill evaluation"),)

    def apply(self, fx: Effects) -> None:
        """Raise the value of certificates."""
        s: EvaluationSystemSpec = self.spec  # type: ignore[assignment]
        fx.certificate_weight_bonus += s.certificate_weight_increase
        fx.certificate_premium_bonus += s.certificate_premium_increase
        fx.certification_bonus += s.bridging_increase
        fx.mobile_origin_weight *= 1.0 + s.mutual_recognition_weight

    def settle(self) -> None:
        """Pay for this month's certificates."""
        s: EvaluationSystemSpec = self.spec  # type: ignore[assignment]
        intensity = (
            s.certificate_weight_increase
            + s.certificate_premium_increase
            + s.bridging_increase
            + s.mutual_recognition_weight
        )
        if s.cost_per_certificate > 0 and intensity > 0:
            self.charge(self.flow("new_certified") * self.covered * s.cost_per_certificate)


register_lever(EvaluationSystem)
