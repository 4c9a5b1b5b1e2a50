"""TalentModel: the Mesa model that builds the world from a scenario and steps it month by month."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from talentsim import processes
from talentsim.agents import Firm, Region, University
from talentsim.agents.firm import SECTORS
from talentsim.constants import (
    IS_DIGITAL_JOB,
    JOB_BAND,
    N_JOBS,
)
from talentsim.effects import Effects
from talentsim.limits import check_scenario
from talentsim.metrics import MetricsRecorder
from talentsim.policies import LEVERS
from talentsim.population import Population
from talentsim.rates import stochastic_round
from talentsim.scenario import Scenario, resolve_scenario
from talentsim.schema import month_index, month_string
from talentsim.world import build_world

_MOVED = {"PROGRAMME_YEARS", "ENTRY_AGE"}  # to talentsim.constants in 0.1.0; to be removed from here in 0.2


def __getattr__(name: str) -> Any:
    """``talentsim.model.PROGRAMME_YEARS`` and ``ENTRY_AGE`` still resolve, with a DeprecationWarning."""
    if name in _MOVED:
        import warnings

        from talentsim import constants

        warnings.warn(
            f"talentsim.model.{name} moved to talentsim.constants.{name}; the old name goes in 0.2",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(constants, name)
    raise AttributeError(f"module 'talentsim.model' has no attribute {name!r}")


@dataclass
class Courses:
    """Course types: index 0 is the regular course; levers register their own."""

    names: list[str] = field(default_factory=list)
    pass_rate: np.ndarray = field(default_factory=lambda: np.zeros(0))
    level_gain: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    certification_rate: np.ndarray = field(default_factory=lambda: np.zeros(0))  # NaN: the regular rate
    duration: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    def register(
        self, name: str, pass_rate: float, level_gain: int, certification_rate: float | None, duration_months: int
    ) -> int:
        """Add a course type and return its index."""
        self.names.append(name)
        self.pass_rate = np.append(self.pass_rate, pass_rate)
        self.level_gain = np.append(self.level_gain, np.int8(level_gain))
        rate = np.nan if certification_rate is None else certification_rate
        self.certification_rate = np.append(self.certification_rate, rate)
        self.duration = np.append(self.duration, np.int8(duration_months))
        return len(self.names) - 1


class TalentModel(mesa.Model):
    """The talent-pipeline model.

    Regions, university groups and firm groups are Mesa agents; students and workers are rows
    of a columnar :class:`~talentsim.population.Population`. One step is one calendar month.

    The monthly step, in this order (each process can be switched off in the scenario's
    ``[processes.<name>]`` table; metrics are always recorded):

    1. **calendar** - advance the month; in January drop exited persons' rows.
    2. **policies** - every active lever combines its adjustments of rates, capacities, costs
       and eligibility into the month's :class:`~talentsim.effects.Effects` (none in the
       baseline); the processes read them and never import a lever.
    3. **demand** - regions' digital economies grow; firms' digital job targets grow with them
       (core digital firms) or with digitalisation (traditional firms); non-digital targets
       follow filled jobs; startups shed jobs their departed founders held; an optional
       sinusoidal demand cycle scales established firms' targets (off in the baseline).
    4. **education** - dropout; June graduation (a share of undergraduates continue to
       postgraduate study, some go abroad to study); September intake with a per-student logit
       field choice.
    5. **training** - courses in progress advance, completers gain a level and may certify;
       eligible persons consider training and enrol by a logit on wage gain against cost,
       within seat capacity; levers' courses fill and their skills contests are held
       (``processes.contests``).
    6. **matching** - separations; searchers direct their applications over regions (most at
       home); hires by a Cobb-Douglas matching function within region x job cell, with
       on-the-job search and certificate-weighted chances; a hire elsewhere moves with the job.
    7. **wages** - offers move towards a target set by tightness; wages of the employed follow.
    8. **migration** - a share of workers reconsider their region by a multinomial logit; the
       end of a course and a long unemployment spell prompt the unemployed to look too.
    9. **international** - emigration of high-level talent, returns from abroad, foreign
       arrivals (outbound students leave at June graduation, in the education step).
    10. **entrepreneurship** - founders' startups exit; new founders create startup Firm agents.
    11. **demography** - ageing, retirement, death, labour-market entrants, inactivity.
       Then every active lever **settles**: it charges its costs from what the processes
       reported (enrolments, contestants) and from the month's flows.
    12. **metrics** - record the month's outcomes.

    The initial state (January 2024) is built by :func:`talentsim.world.build_world`.

    Args:
        scenario: a :class:`Scenario`, a path to a scenario TOML file, or ``None`` for the
            default baseline.
        rng: the seed (an int) or anything Mesa accepts; each process draws from its own
            stream derived from (seed, process name).
        **overrides: scenario fields to replace, as dotted paths with ``__`` for dots
            (``scale=500``, ``processes__migration__enabled=False``), so that
            ``mesa.batch_run`` can vary them.

    Attributes:
        spec: the scenario being run (Mesa's own ``scenario`` attribute is left to Mesa).
        seed: the integer seed of this run.
        pop: the persons.
        regions: Region agents in code order.
        month: months simulated so far; ``date`` is the month being or last simulated.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        *,
        rng: int | None = None,
        **overrides: Any,
    ) -> None:
        if rng is None:
            rng = int(np.random.SeedSequence().entropy % (2**63))
        super().__init__(rng=rng)
        self.spec = spec = resolve_scenario(scenario, **overrides)
        check_scenario(spec, f"scenario {spec.name!r}")  # before any array is sized from it
        self.seed = int(rng) if isinstance(rng, int | np.integer) else int(self.rng.integers(2**63))
        self.scale = spec.scale
        self.month = 0
        self.start_index = month_index(spec.horizon.start)
        self.n_months = spec.horizon.months
        self.courses = Courses()
        self.courses.register(
            "regular",
            pass_rate=spec.processes.training.pass_rate,
            level_gain=1,
            certification_rate=None,
            duration_months=spec.processes.training.duration_months,
        )
        self._streams: dict[str, np.random.Generator] = {}
        self._open_places: dict[str, np.ndarray] = {}

        self.region_names = spec.region_names
        self.n_regions = len(self.region_names)
        self.regions = [Region(self, i, name, spec.regions[name]) for i, name in enumerate(self.region_names)]
        self.firms: list[Firm | None] = []
        # job targets and region code by firm index (zeros and -1 for removed firms); rows of
        # spare capacity double when full
        self.firm_jobs = np.zeros((0, N_JOBS))
        self.firm_region = np.zeros(0, dtype=np.int64)
        self.firm_sector = np.zeros(0, dtype=np.int8)  # index into SECTORS, -1 for removed firms
        self.universities: list[University] = []
        # public spending to date, yuan, by lever and region
        self.policy_cost: dict[str, np.ndarray] = {name: np.zeros(self.n_regions) for name in LEVERS}
        self.fx = Effects(self.n_regions)
        self.pop = Population(capacity=1024)
        self.flow_history: list[np.ndarray] = []
        self.status_history: list[np.ndarray] = []
        # Cumulative sums of the months' teaching-quality and partnership bonuses by region (row 0:
        # before the first month), so a graduate's exposure over their studies is a difference.
        self.study_bonus_sums: list[np.ndarray] = [np.zeros((2, self.n_regions))]
        self.course_enders = np.empty(0, dtype=np.int64)
        self.unemployed_at_matching: np.ndarray | None = None

        build_world(self)
        self.levers = [LEVERS[p.type][1](p, self, i) for i, p in enumerate(spec.policy)]
        self.metrics = MetricsRecorder(self)
        self.datacollector = mesa.DataCollector(model_reporters=self.metrics.model_reporters())
        self.status_history.append(self.pop.status_counts())

    def register_course(
        self,
        name: str,
        pass_rate: float,
        level_gain: int,
        certification_rate: float | None,
        duration_months: int | None = None,
    ) -> int:
        """Add a course type (for a lever's own training) and return its index.

        ``certification_rate`` None means the regular rate (with any policy bonus); the duration
        defaults to the regular course's.
        """
        duration = duration_months or self.spec.processes.training.duration_months
        return self.courses.register(name, pass_rate, level_gain, certification_rate, duration)

    # ------------------------------------------------------------------ randomness
    def open_places(self, name: str) -> np.ndarray:
        """Open places of a rationed quota by region, person-agents (see :func:`rates.ration_quota`).

        One array per quota (``training``, ``incubator``, ``course:<lever>``), created empty at
        first use and updated in place.
        """
        if name not in self._open_places:
            self._open_places[name] = np.zeros(self.n_regions)
        return self._open_places[name]

    def stream(self, name: str) -> np.random.Generator:
        """The random stream of one process, derived from (seed, process name)."""
        gen = self._streams.get(name)
        if gen is None:
            ss = np.random.SeedSequence(entropy=self.seed, spawn_key=(zlib.crc32(name.encode()),))
            gen = self._streams[name] = np.random.Generator(np.random.PCG64(ss))
        return gen

    # ------------------------------------------------------------------ calendar
    @property
    def date(self) -> str:
        """The current month as ``YYYY-MM`` (the month being or last simulated)."""
        return month_string(self.start_index + max(self.month - 1, 0))

    @property
    def calendar_month(self) -> int:
        """1..12 for the current month."""
        return (self.start_index + max(self.month - 1, 0)) % 12 + 1

    @property
    def year(self) -> int:
        """Calendar year of the current month."""
        return (self.start_index + max(self.month - 1, 0)) // 12

    def agents_from_real(self, real: float | np.ndarray, stream: str) -> np.ndarray:
        """Person-agent counts from real people, rounded at random without bias."""
        return stochastic_round(np.asarray(real, dtype=np.float64) / self.scale, self.stream(stream))

    # ------------------------------------------------------------------ firms
    def add_firm(self, region: int, sector: str, jobs: np.ndarray, founders: int = 0) -> Firm:
        """Create a Firm agent and give it the next firm index."""
        index = len(self.firms)
        if index >= len(self.firm_jobs):
            grow = max(64, len(self.firm_jobs))
            self.firm_jobs = np.vstack([self.firm_jobs, np.zeros((grow, N_JOBS))])
            self.firm_region = np.concatenate([self.firm_region, np.full(grow, -1, dtype=np.int64)])
            self.firm_sector = np.concatenate([self.firm_sector, np.full(grow, -1, dtype=np.int8)])
        self.firm_region[index] = region
        self.firm_sector[index] = SECTORS.index(sector)
        firm = Firm(self, index, region, sector, jobs, founders)  # type: ignore[arg-type]
        self.firms.append(firm)
        self.pop.ensure_firms(len(self.firms))
        return firm

    def remove_firm(self, firm: Firm) -> None:
        """Remove a Firm agent (its employees must already have left)."""
        self.firms[firm.firm_index] = None
        self.firm_jobs[firm.firm_index] = 0.0
        self.firm_region[firm.firm_index] = -1
        self.firm_sector[firm.firm_index] = -1
        firm.remove()

    def firms_of_sector(self, sector: str) -> list[Firm]:
        """The live firms of one sector, in firm-index order."""
        rows = np.flatnonzero(self.firm_sector[: len(self.firms)] == SECTORS.index(sector))
        return [self.firms[i] for i in rows]  # type: ignore[misc]

    def job_targets(self) -> np.ndarray:
        """Job targets by firm index and job cell (zeros for removed firms)."""
        return self.firm_jobs[: len(self.firms)].copy()

    def firm_regions(self) -> np.ndarray:
        """Region code of each firm index (-1 for removed firms)."""
        return self.firm_region[: len(self.firms)].copy()

    def filled_jobs(self) -> np.ndarray:
        """Filled jobs by firm index and job cell.

        Kept by the population as persons take and leave jobs (``Population.take_job`` and
        ``leave_job``); a person holds a job cell (``job >= 0``) exactly when employed.
        """
        return self.pop.filled[: len(self.firms)].copy()

    def choose_firms(self, region: np.ndarray, job: np.ndarray, weights: np.ndarray, stream: str) -> np.ndarray:
        """For each person, a firm index in their region.

        The firm is drawn with chance proportional to ``weights[firm, job]`` (job targets or
        vacancies). Returns -1 where no firm has weight.
        """
        n_firms = len(self.firms)
        fr = self.firm_regions()
        n_cells = self.n_regions * N_JOBS
        w = np.zeros((n_cells, n_firms))
        for r in range(self.n_regions):
            cols = np.flatnonzero(fr == r)
            w[r * N_JOBS : (r + 1) * N_JOBS, cols] = weights[cols].T
        total = w.sum(axis=1, keepdims=True)
        cum = np.cumsum(w, axis=1) / np.where(total > 0, total, 1.0)
        cum[:, -1] = np.where(total[:, 0] > 0, 1.0, 0.0)
        cell = region.astype(np.int64) * N_JOBS + job
        u = self.stream(stream).random(len(cell))
        target = cell + u
        # A search in each cell's row of ``cum + cell``: the comparisons of one search over all
        # rows flattened (rows before the cell's end at or below ``cell``, at most the target;
        # past the row's end means no firm, as it did there), on short rows.
        firm = np.empty(len(cell), dtype=np.int64)
        small = cell.astype(np.int16) if n_cells < np.iinfo(np.int16).max else cell
        by_cell = np.argsort(small, kind="stable")  # a radix sort for 16-bit codes
        bounds = np.searchsorted(cell[by_cell], np.arange(n_cells + 1))
        for c in np.flatnonzero(np.diff(bounds)):
            rows = by_cell[bounds[c] : bounds[c + 1]]
            firm[rows] = np.searchsorted(cum[c] + c, target[rows], side="right")
        ok = (total[cell, 0] > 0) & (firm < n_firms)
        return np.where(ok, np.minimum(firm, n_firms - 1), -1)

    # ------------------------------------------------------------------ wages
    def pay_factor(self, job: np.ndarray, level: np.ndarray, certified: np.ndarray) -> np.ndarray:
        """A hire's wage relative to their cell's offer.

        Premia for each level above the band's lowest (digital jobs) and for a certificate. Kept
        per person, so wages follow the offers without updating every employee each month.
        """
        w = self.spec.processes.wages
        fx = self.fx
        band_low = np.array([1, 3, 5], dtype=np.int8)[JOB_BAND[job]]
        above = np.where(IS_DIGITAL_JOB[job], np.maximum(level - band_low, 0), 0)
        cert = w.certificate_premium + fx.certificate_premium_bonus
        factor = (1.0 + w.level_premium * above) * (1.0 + cert * certified)
        if fx.high_level_premium != 0.0:
            factor = factor * (1.0 + fx.high_level_premium * (level >= self.spec.high_level_threshold))
        return factor.astype(np.float32)

    def wages_of(self, rows: np.ndarray) -> np.ndarray:
        """Monthly wages in yuan of employed persons ``rows``."""
        pop = self.pop
        return self.wage_offers()[pop.region[rows], pop.job[rows]] * pop.pay_factor[rows]

    def wage_offers(self) -> np.ndarray:
        """Monthly wage offers by region and job cell."""
        return np.stack([r.wage_offer for r in self.regions])

    # ------------------------------------------------------------------ study exposure
    def study_exposure(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean teaching-quality and partnership bonuses over the months students ``rows`` studied.

        The average over their ``study_months`` (at least one) of the month's bonuses in their
        region, months before the model start counting as no bonus: a cohort taught before the
        plan gains only the share of its studies the plan covered. *Simplification:* a bonus acts
        on the graduation level in proportion to the time it was in force, whenever in the
        programme that was.
        """
        sums = self.study_bonus_sums
        now = len(sums) - 1
        if not np.any(sums[now]) or len(rows) == 0:
            zeros = np.zeros(len(rows))
            return zeros, zeros.copy()
        stacked = np.stack(sums)
        months = np.maximum(self.pop.study_months[rows].astype(np.int64), 1)
        start = np.maximum(now - months, 0)
        region = self.pop.region[rows]
        exposure = (stacked[now][:, region] - stacked[start, :, region].T) / months
        return exposure[0], exposure[1]

    # ------------------------------------------------------------------ stepping
    def step(self) -> None:
        """Simulate one month (see the class docstring for the order)."""
        self.month += 1
        self.pop.reset_flows()
        self.course_enders = np.empty(0, dtype=np.int64)  # persons whose course ends this month (training)
        self.unemployed_at_matching: np.ndarray | None = None  # the unemployed at this month's matching
        self.metrics.start_month()
        sw = self.spec.processes
        processes.calendar.step(self)
        self.fx = Effects(self.n_regions)
        active = [lever for lever in self.levers if lever.active()]
        for lever in active:
            lever.apply(self.fx)
        self.study_bonus_sums.append(
            self.study_bonus_sums[-1] + np.stack([self.fx.teaching_quality_bonus, self.fx.partnership_bonus])
        )
        for name in processes.ORDER:
            if getattr(sw, name).enabled:
                getattr(processes, name).step(self)
        for lever in active:
            lever.settle()
        self.flow_history.append(self.pop.flows.copy())
        self.metrics.record()
        self.status_history.append(self.metrics.status_counts)
        self.datacollector.collect(self)
        if self.month >= self.n_months:
            self.running = False

    def run(self) -> TalentModel:
        """Run to the end of the horizon and return self (for chaining)."""
        while self.running:
            self.step()
        return self
