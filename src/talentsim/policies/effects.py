"""Kept for imports written before the effects moved to :mod:`talentsim.effects`."""

from talentsim.effects import ContestOffer, CourseOffer, Effects, Eligibility

__all__ = ["ContestOffer", "CourseOffer", "Effects", "Eligibility"]
