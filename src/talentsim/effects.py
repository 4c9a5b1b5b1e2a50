"""The month's policy effects: what active levers change, read by the processes.

This module is the one boundary between levers (:mod:`talentsim.policies`) and processes
(:mod:`talentsim.processes`): both import it, neither imports the other. Levers write into an
:class:`Effects` record and their offers (:class:`CourseOffer`, :class:`ContestOffer`); the
processes read them and report back what happened (enrolments, contestants), which each lever
then pays for in its ``settle`` step after the month's processes.

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

from talentsim.constants import EMPLOYED, MAX_LEVEL, N_BANDS

if TYPE_CHECKING:
    from talentsim.population import Population


@dataclass(frozen=True)
class Eligibility:
    """Who may take a lever's course, as data the training process applies.

    A person qualifies when their status is ``status``, their level is between ``min_level``
    and ``max_level`` (inclusive), their field is one of ``fields`` (any when None) and they
    hold job cell ``job`` (any when None).
    """

    status: int = EMPLOYED
    min_level: int = 0
    max_level: int = MAX_LEVEL
    fields: tuple[int, ...] | None = None
    job: int | None = None

    def mask(self, pop: Population, rows: np.ndarray) -> np.ndarray:
        """Boolean mask of the persons ``rows`` who qualify."""
        level = pop.level[rows]
        ok = (pop.status[rows] == self.status) & (level >= self.min_level) & (level <= self.max_level)
        if self.fields is not None:
            ok &= np.isin(pop.field[rows], self.fields)
        if self.job is not None:
            ok &= pop.job[rows] == self.job
        return ok


@dataclass
class CourseOffer:
    """Seats of a lever's own course, filled by the training process after regular enrolment.

    Attributes:
        lever: the lever's name (the quota of open places is kept under it).
        course: course index registered with :meth:`TalentModel.register_course`.
        seats: real seats this month, by region.
        take_up: monthly chance that an eligible person applies.
        eligibility: who qualifies.
        stream: name of the lever's random stream.
        field_choice: when set, applicants with no digital field take this field mix (shares
            over digital fields) for the course.
        enrolled: reported by the training process: person-agents enrolled this month, by
            region (None until the offer is filled).
    """

    lever: str
    course: int
    seats: np.ndarray
    take_up: float
    eligibility: Eligibility
    stream: str
    field_choice: np.ndarray | None = None
    enrolled: np.ndarray | None = None


@dataclass
class ContestOffer:
    """A lever's skills contests of the month, held by the contests process.

    Attributes:
        lever: the lever's name.
        contestants: real contestants this month, by region.
        min_level: lowest level that competes.
        winner_share: share of contestants who win a level and a certificate.
        stream: name of the lever's random stream.
        participants: reported by the contests process: person-agents who competed, by region
            (None until the contests are held).
    """

    lever: str
    contestants: np.ndarray
    min_level: int
    winner_share: float
    stream: str
    participants: np.ndarray | None = None


@dataclass
class Effects:
    """Modifiers of one month (see the module docstring). Arrays are by region."""

    n_regions: int
    # training
    training_cost_factor: np.ndarray = field(init=False)
    training_subsidy: np.ndarray = field(init=False)  # yuan per trainee, by region and band of the level gained
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
    # reported back by the training process: regular enrolments of the month (region and band of
    # the level the course leads to, one entry per person-agent), for subsidies to be paid on
    regular_enrolled_region: np.ndarray = field(init=False)
    regular_enrolled_band: np.ndarray = field(init=False)

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
        self.regular_enrolled_region = np.empty(0, dtype=np.int64)
        self.regular_enrolled_band = np.empty(0, dtype=np.int64)
