"""The action plan's measures as policy levers, one module each, and their registry.

``LEVERS`` maps each scenario ``type`` to its spec (the ``[[policy]]`` table's schema) and its
run-time class. ``PolicySpec`` is the tagged union the scenario schema uses, so an unknown
``type`` is refused with the list of valid ones.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from talentsim.effects import CourseOffer, Effects
from talentsim.policies.base import Lever, LeverSpec
from talentsim.policies.competitions import Competitions, CompetitionsSpec
from talentsim.policies.education_expansion import EducationExpansion, EducationExpansionSpec
from talentsim.policies.engineer_training import EngineerTraining, EngineerTrainingSpec
from talentsim.policies.entrepreneurship import Entrepreneurship, EntrepreneurshipSpec
from talentsim.policies.evaluation_system import EvaluationSystem, EvaluationSystemSpec
from talentsim.policies.funding import Funding, FundingSpec
from talentsim.policies.industry_empowerment import IndustryEmpowerment, IndustryEmpowermentSpec
from talentsim.policies.international_exchange import InternationalExchange, InternationalExchangeSpec
from talentsim.policies.mobility_channels import MobilityChannels, MobilityChannelsSpec
from talentsim.policies.pay_incentives import PayIncentives, PayIncentivesSpec
from talentsim.policies.skills_upgrade import SkillsUpgrade, SkillsUpgradeSpec
from talentsim.policies.talent_incentives import TalentIncentives, TalentIncentivesSpec

# In the plan's order: six tasks, then six guarantees.
LEVERS: dict[str, tuple[type[LeverSpec], type[Lever]]] = {
    "engineer_training": (EngineerTrainingSpec, EngineerTraining),
    "skills_upgrade": (SkillsUpgradeSpec, SkillsUpgrade),
    "international_exchange": (InternationalExchangeSpec, InternationalExchange),
    "entrepreneurship": (EntrepreneurshipSpec, Entrepreneurship),
    "industry_empowerment": (IndustryEmpowermentSpec, IndustryEmpowerment),
    "competitions": (CompetitionsSpec, Competitions),
    "education_expansion": (EducationExpansionSpec, EducationExpansion),
    "evaluation_system": (EvaluationSystemSpec, EvaluationSystem),
    "pay_incentives": (PayIncentivesSpec, PayIncentives),
    "funding": (FundingSpec, Funding),
    "mobility_channels": (MobilityChannelsSpec, MobilityChannels),
    "talent_incentives": (TalentIncentivesSpec, TalentIncentives),
}
LEVER_NAMES: tuple[str, ...] = tuple(LEVERS)

PolicySpec = Annotated[
    EngineerTrainingSpec
    | SkillsUpgradeSpec
    | InternationalExchangeSpec
    | EntrepreneurshipSpec
    | IndustryEmpowermentSpec
    | CompetitionsSpec
    | EducationExpansionSpec
    | EvaluationSystemSpec
    | PayIncentivesSpec
    | FundingSpec
    | MobilityChannelsSpec
    | TalentIncentivesSpec,
    Field(discriminator="type"),
]

__all__ = ["LEVERS", "LEVER_NAMES", "CourseOffer", "Effects", "Lever", "LeverSpec", "PolicySpec"]
