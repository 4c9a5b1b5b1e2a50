"""Institutional agents: regions, university groups and firm groups (``mesa.Agent`` subclasses)."""

from talentsim.agents.firm import Firm
from talentsim.agents.region import Region
from talentsim.agents.university import University

__all__ = ["Firm", "Region", "University"]
