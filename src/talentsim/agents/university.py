"""University agents: all institutions of one programme type in one region."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from talentsim.model import TalentModel


class University(mesa.Agent):
    """A group of institutions of one type (vocational, undergraduate, postgraduate) in a region.

    Attributes:
        region: region code.
        programme: index into ``PROGRAMMES``.
        seats_per_year: yearly intake in person-agents (real seats / scale).
        field_seat_shares: share of seats in each field (digital fields, then non-digital).
        teaching_quality: chance that a digital graduate gains a level above the programme's.
        partnership_share: share of seats in firm-ordered classes (a further level chance).
    """

    def __init__(
        self,
        model: TalentModel,
        region: int,
        programme: int,
        seats_per_year: float,
        field_seat_shares: list[float],
        teaching_quality: float,
        partnership_share: float,
    ) -> None:
        super().__init__(model)
        self.region = region
        self.programme = programme
        self.seats_per_year = seats_per_year
        self.field_seat_shares = field_seat_shares
        self.teaching_quality = teaching_quality
        self.partnership_share = partnership_share
