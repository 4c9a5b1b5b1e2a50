"""The columnar population of persons (students and workers): one NumPy array per attribute.

Persons are rows; the live rows are ``0 .. n-1`` of every column. Arrays have spare capacity
that doubles when full, so adding persons is amortised O(1) and the monthly step does not
reallocate. Persons who retire or die are marked ``EXITED`` and removed by :meth:`compact`,
which the model calls in January.

Every status change goes through :meth:`Population.set_status`, which also counts the change
in the month's flow matrix (from status x to status). The conservation test relies on that.
Every region change goes through :meth:`Population.set_region`. Both keep the count of persons
by status and region (:attr:`Population.by_status_region`) up to date, so the monthly outcomes
need no pass over the population to count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from talentsim.constants import EXITED, FROM_OUTSIDE, N_JOBS, N_STATUSES

# name -> (dtype, fill value of a new row)
COLUMNS: dict[str, tuple[type, int | float]] = {
    "status": (np.int8, 0),
    "region": (np.int8, 0),
    "age_months": (np.int16, 0),
    "field": (np.int8, 0),
    "programme": (np.int8, -1),  # index into PROGRAMMES for students, else -1
    "study_months": (np.int8, 0),  # months enrolled so far
    "level": (np.int8, 0),
    "certified": (np.bool_, False),
    "employer": (np.int32, -1),  # Firm.firm_index, or -1
    "job": (np.int8, -1),  # job cell held (see constants), or -1
    "pay_factor": (np.float32, 0.0),  # wage / the offer of the person's region and job cell
    "months_in_state": (np.int16, 0),
    "origin": (np.int8, 0),
    "training_left": (np.int8, 0),  # months of a course still to go; 0 = not training
    "course": (np.int8, 0),  # course type being taken (TalentModel.courses)
    "trained_region": (np.int8, -1),  # region where the person last passed a training course, or -1 (a record only)
}


@dataclass
class Population:
    """Persons as columns.

    Attributes:
        n: number of live rows.
        flows: this month's transitions, shape (N_STATUSES + 1, N_STATUSES); the last row counts
            persons who entered the model in that status.
    """

    capacity: int = 1024
    n: int = 0
    flows: np.ndarray = field(default_factory=lambda: np.zeros((N_STATUSES + 1, N_STATUSES), np.int64))

    def __post_init__(self) -> None:
        self._cols: dict[str, np.ndarray] = {
            name: np.full(self.capacity, fill, dtype=dtype) for name, (dtype, fill) in COLUMNS.items()
        }
        # Filled jobs and the sum of pay factors by (employer, job cell), kept up to date by
        # take_job and leave_job, so the monthly step need not count the employed again.
        self.filled = np.zeros((0, N_JOBS), dtype=np.int64)
        self.pay_sum = np.zeros((0, N_JOBS), dtype=np.float64)
        # Live persons by status and region code (exited ones until compact), kept by add,
        # set_status, set_region and compact; it grows a column for each new region code.
        self.by_status_region = np.zeros((N_STATUSES, 0), dtype=np.int64)

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("_cols")
        if cols is not None and name in cols:
            return cols[name][: self.n]
        raise AttributeError(name)

    def column(self, name: str) -> np.ndarray:
        """The live part of a column (a view: writes go to the population)."""
        return self._cols[name][: self.n]

    @property
    def nbytes(self) -> int:
        """Bytes held by all columns, spare capacity included."""
        return sum(a.nbytes for a in self._cols.values())

    def reserve(self, capacity: int) -> None:
        """Make room for at least ``capacity`` persons at once (saves the doublings of many adds)."""
        if capacity > self.capacity:
            self._grow(capacity)

    def _grow(self, new_cap: int) -> None:
        for name, (dtype, fill) in COLUMNS.items():
            grown = np.full(new_cap, fill, dtype=dtype)
            grown[: self.n] = self._cols[name][: self.n]
            self._cols[name] = grown
        self.capacity = new_cap

    def add(self, count: int, status: int, **values: np.ndarray | int | float) -> np.ndarray:
        """Append ``count`` persons entering the model in ``status``; return their row indices.

        Columns not given take their fill value.
        """
        if count <= 0:
            return np.empty(0, dtype=np.int64)
        need = self.n + count
        if need > self.capacity:
            self._grow(max(need, 2 * self.capacity))
        rows = np.arange(self.n, need)
        for name, (_, fill) in COLUMNS.items():
            self._cols[name][self.n : need] = values.get(name, fill)
        self._cols["status"][self.n : need] = status
        new_regions = self._cols["region"][self.n : need]
        self._ensure_regions(int(new_regions.max()) + 1)
        self.by_status_region[status] += np.bincount(new_regions, minlength=self.by_status_region.shape[1])
        self.n = need
        self.flows[FROM_OUTSIDE, status] += count
        return rows

    def set_status(self, rows: np.ndarray, new_status: int) -> None:
        """Move persons to a new status, counting the flows and resetting their months in state."""
        if len(rows) == 0:
            return
        status = self.column("status")
        old = status[rows]
        np.add.at(self.flows[:, new_status], old, 1)
        region = self.column("region")[rows]
        width = self.by_status_region.shape[1]
        key = old.astype(np.int64) * width + region
        self.by_status_region -= np.bincount(key, minlength=N_STATUSES * width).reshape(N_STATUSES, width)
        self.by_status_region[new_status] += np.bincount(region, minlength=width)
        status[rows] = new_status
        self.column("months_in_state")[rows] = 0

    def set_region(self, rows: np.ndarray, region: np.ndarray | int) -> None:
        """Move persons to other regions (codes), keeping the counts by status and region."""
        if len(rows) == 0:
            return
        regions = self.column("region")
        status = self.column("status")[rows].astype(np.int64)
        destination = np.broadcast_to(np.asarray(region, dtype=np.int8), rows.shape)
        self._ensure_regions(int(destination.max()) + 1)
        width = self.by_status_region.shape[1]
        size = N_STATUSES * width
        self.by_status_region -= np.bincount(status * width + regions[rows], minlength=size).reshape(N_STATUSES, width)
        self.by_status_region += np.bincount(status * width + destination, minlength=size).reshape(N_STATUSES, width)
        regions[rows] = destination

    def _ensure_regions(self, n_regions: int) -> None:
        width = self.by_status_region.shape[1]
        if n_regions > width:
            grown = np.zeros((N_STATUSES, n_regions), dtype=np.int64)
            grown[:, :width] = self.by_status_region
            self.by_status_region = grown

    def ensure_firms(self, n_firms: int) -> None:
        """Make room in the job counts for firm indices below ``n_firms``."""
        if n_firms > len(self.filled):
            grow = max(n_firms, 2 * len(self.filled)) - len(self.filled)
            self.filled = np.vstack([self.filled, np.zeros((grow, N_JOBS), dtype=np.int64)])
            self.pay_sum = np.vstack([self.pay_sum, np.zeros((grow, N_JOBS))])

    def recount_jobs(self) -> None:
        """Recount filled jobs and pay sums from the columns (after setting jobs directly)."""
        held = np.flatnonzero(self.column("job") >= 0)
        key = self.column("employer")[held].astype(np.int64) * N_JOBS + self.column("job")[held]
        size = self.filled.size
        self.filled = np.bincount(key, minlength=size).reshape(-1, N_JOBS)
        self.pay_sum = np.bincount(key, weights=self.column("pay_factor")[held], minlength=size).reshape(-1, N_JOBS)

    def take_job(self, rows: np.ndarray, employer: np.ndarray, job: np.ndarray, pay_factor: np.ndarray) -> None:
        """Give persons a job cell at an employer, with their pay factor (status set separately)."""
        self.column("employer")[rows] = employer
        self.column("job")[rows] = job
        self.column("pay_factor")[rows] = pay_factor
        self._count_jobs(employer, job, self.column("pay_factor")[rows], +1)

    def _count_jobs(self, employer: np.ndarray, job: np.ndarray, pay: np.ndarray, sign: int) -> None:
        key = employer.astype(np.int64) * N_JOBS + job
        size = self.filled.size
        self.filled += sign * np.bincount(key, minlength=size).reshape(-1, N_JOBS)
        self.pay_sum += sign * np.bincount(key, weights=pay, minlength=size).reshape(-1, N_JOBS)

    def leave_job(self, rows: np.ndarray) -> None:
        """Clear employer, job cell and pay, updating the job counts (status set separately)."""
        held = rows[self.column("job")[rows] >= 0]
        if len(held):
            employer, job = self.column("employer")[held], self.column("job")[held]
            self._count_jobs(employer, job, self.column("pay_factor")[held], -1)
        self.column("employer")[rows] = -1
        self.column("job")[rows] = -1
        self.column("pay_factor")[rows] = 0.0

    def status_counts(self) -> np.ndarray:
        """Persons by status code."""
        return np.bincount(self.column("status"), minlength=N_STATUSES)

    def reset_flows(self) -> None:
        """Start a new month's flow matrix."""
        self.flows[:] = 0

    def compact(self) -> None:
        """Drop exited persons' rows, keeping the others' order."""
        keep = np.flatnonzero(self.column("status") != EXITED)
        m = len(keep)
        for name, (_, fill) in COLUMNS.items():
            arr = self._cols[name]
            arr[:m] = arr[keep]
            arr[m : self.n] = fill
        self.n = m
        self.by_status_region[EXITED] = 0
