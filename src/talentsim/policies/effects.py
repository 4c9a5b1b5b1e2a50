"""The month's policy effects: what active levers change, read by the processes.

A fresh :class:`Effects` with neutral values (factors 1, bonuses 0, no offers) is made at the
start of every month; active levers then combine into it (factors multiply, bonuses add). The
processes apply these values with operations that leave a number unchanged at the neutral value
(``x * 1.0``, ``x + 0.0``) and draw no extra random numbers unless a value is not neutral, so a
lever at zero intensity reproduces the baseline exactly.

Quantities in real people (seats, arrivals, places, jobs) are per month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import N_BANDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from talentsim.model import TalentModel


@dataclass
class CourseOffer:
    """Seats of a lever's own course, filled by the training process after regular enrolment.

    Attributes:
        lever: the lever's name (cost is charged to it).
        course: course index registered with :meth:`TalentModel.register_course`.
        seats: real seats this month, by region.
        take_up: monthly chance that an eligible person applies.
        eligible: ``eligible(model, rows)`` -> boolean mask of applicants who qualify.
        cost_per_trainee: yuan of public money per enrolment.
        stream: name of the lever's random stream.
        field_choice: when set, applicants with no digital field take this field mix (shares
            over digital fields) for the course.
    """

    lever: str
    course: int
    seats: np.ndarray
    take_up: float
    eligible: Callable[[TalentModel, np.ndarray], np.ndarray]
    cost_per_trainee: float
    stream: str
    field_choice: np.ndarray | None = None


@dataclass
class ContestOffer:
    """A lever's skills contests of the month, held by the training process.

    Attributes:
        lever: the lever's name (cost is charged to it).
        contestants: real contestants this month, by region.
        min_level: lowest level that competes.
        winner_share: share of contestants who win a level and a certificate.
        cost_per_participant: yuan of public money per contestant.
        stream: name of the lever's random stream.
    """

    lever: str
    contestants: np.ndarray
    min_level: int
    winner_share: float
    cost_per_participant: float
    stream: str


@dataclass
class Effects:
    """Modifiers of one month (see the module docstring). Arrays are by region."""

    n_regions: int
    # training
    training_cost_factor: np.ndarray = field(init=False)
    training_subsidy: np.ndarray = field(init=False)  # yuan per trainee, by region and band of the level gained
    subsidy_lever: str | None = None
    training_take_up_factor: np.ndarray = field(init=False)
    extra_training_seats: np.ndarray = field(init=False)
    certification_bonus: float = 0.0
    course_offers: list[CourseOffer] = field(default_factory=list)
    contests: list[ContestOffer] = field(default_factory=list)
    # education
    digital_seat_growth: np.ndarray = field(init=False)
    teaching_quality_bonus: np.ndarray = field(init=False)
    partnership_bonus: np.ndarray = field(init=False)
    wage_noise_factor: float = 1.0
    # matching and wages
    matching_factor: np.ndarray = field(init=False)
    certificate_weight_bonus: float = 0.0
    mobile_origin_weight: float = 1.0
    certificate_premium_bonus: float = 0.0
    high_level_premium: float = 0.0
    # migration
    talent_incentive: np.ndarray = field(init=False)
    moving_cost_reduction: float = 0.0
    # international
    return_factor: float = 1.0
    emigration_factor: np.ndarray = field(init=False)
    extra_foreign: np.ndarray = field(init=False)
    # entrepreneurship
    founding_factor: np.ndarray = field(init=False)
    researcher_founding_factor: float = 1.0
    returnee_founding_factor: float = 1.0
    extra_incubator: np.ndarray = field(init=False)
    exit_factor: np.ndarray = field(init=False)
    # demand
    extra_senior_jobs: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        ones, zeros = np.ones(self.n_regions), np.zeros(self.n_regions)
        self.training_cost_factor = ones.copy()
        self.training_take_up_factor = ones.copy()
        self.training_subsidy = np.zeros((self.n_regions, N_BANDS))
        self.extra_training_seats = zeros.copy()
        self.digital_seat_growth = zeros.copy()
        self.teaching_quality_bonus = zeros.copy()
        self.partnership_bonus = zeros.copy()
        self.matching_factor = ones.copy()
        self.talent_incentive = zeros.copy()
        self.emigration_factor = ones.copy()
        self.extra_foreign = zeros.copy()
        self.founding_factor = ones.copy()
        self.extra_incubator = zeros.copy()
        self.exit_factor = ones.copy()
        self.extra_senior_jobs = zeros.copy()
