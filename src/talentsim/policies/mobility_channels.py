"""政策保障 5 畅通流动渠道: mobility between firms and universities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Count


class MobilityChannelsSpec(LeverSpec):
    """Industry experts teaching in universities; researchers founding firms."""

    type: Literal["mobility_channels"]
    experts_per_year: Count = Field(
        20_000, description="industry experts teaching (full or part time) in post, national (guess)"
    )
    quality_per_10k_experts: float = Field(
        0.05, ge=0.0, le=1.0, description="added teaching quality per 10,000 experts (guess)"
    )
    researcher_founding_increase: float = Field(
        0.2, ge=0.0, le=20.0, description="relative rise of researchers' (level 6+) founding hazard (guess)"
    )
    cost_per_expert_year: Yuan = Field(100_000, description="public cost per expert a year, yuan (guess)")


class MobilityChannels(Lever):
    """Let experts move into universities and researchers move out to found firms.

    Plan clause: 政策保障 (五) 畅通流动渠道 — industry experts as part-time or full-time teachers
    in universities and colleges, and researchers allowed to leave posts to start businesses.

    Units: experts in post nationally (split over covered regions by labour force); teaching
    quality per 10,000 experts; a relative rise of a hazard. Mechanism: universities in covered
    regions teach better by ``quality_per_10k_experts`` x experts / 10,000 (a simplification: the
    same gain in every covered region), so graduates gain levels more often, and researchers
    (level 6 and above) found startups more often. Cost: ``cost_per_expert_year``.
    """

    name = "mobility_channels"
    spec_class = MobilityChannelsSpec
    clause = "政策保障 5"
    title_zh = "畅通流动渠道"
    title_en = "Mobility channels (firms and universities)"
    neutral: ClassVar[Mapping[str, Any]] = {"experts_per_year": 0.0, "researcher_founding_increase": 0.0}
    # Since graduation applies the teaching bonus a cohort had over its whole studies, by 2026-12 the
    # default 20,000 experts lift mean_level by about +0.0016, with 1 of 5 seeds below 0.
    first_outcome = FirstOutcome(
        "mean_level",
        "last",
        scale=2000.0,
        overrides={"experts_per_year": 100_000},
        note="checked at five times the default experts: the default's effect is as small as the run-to-run "
        "noise at test scale",
    )
    unit_costs = (UnitCost("cost_per_expert_year", "guess", "30,000-200,000", "part-time to full-time teaching pay"),)

    def apply(self, fx: Effects) -> None:
        """Raise teaching quality and researchers' founding."""
        s: MobilityChannelsSpec = self.spec  # type: ignore[assignment]
        experts = self.by_labour_force(s.experts_per_year) * 12  # experts in post, by region
        fx.teaching_quality_bonus += self.per_region(s.quality_per_10k_experts * s.experts_per_year / 10_000)
        fx.researcher_founding_factor *= 1.0 + s.researcher_founding_increase
        if s.cost_per_expert_year > 0 and experts.any():
            self.charge(experts * s.cost_per_expert_year / 12)


register_lever(MobilityChannels)
