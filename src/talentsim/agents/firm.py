"""Firm agents: groups of similar firms (region x sector x size), and startups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import mesa
import numpy as np

from talentsim.constants import IS_DIGITAL_JOB

if TYPE_CHECKING:
    from talentsim.model import TalentModel

Sector = Literal["core_digital", "traditional", "startup"]
SECTORS: tuple[Sector, ...] = ("core_digital", "traditional", "startup")  # codes of TalentModel.firm_sector


class Firm(mesa.Agent):
    """A group of similar firms, holding job targets by job cell.

    Jobs are counted in person-agent units (real jobs / scale). The firm's filled jobs are the
    persons whose ``employer`` is this firm's ``firm_index``; vacancies are target minus filled.

    Attributes:
        firm_index: the value persons hold in their ``employer`` column.
        region: region code.
        sector: ``core_digital``, ``traditional`` (digitalising traditional industry) or
            ``startup`` (created during the run by founders).
        jobs: job target per job cell (with any demand cycle applied: the effective target); a
            view of the firm's row of the model's target matrix (``TalentModel.firm_jobs``), so
            the model reads every firm's targets without a loop over firms.
        trend: digital job targets before the demand cycle; None while no cycle is applied.
        founders: for startups, how many person-agent founders still run it.
    """

    def __init__(
        self,
        model: TalentModel,
        firm_index: int,
        region: int,
        sector: Sector,
        jobs: np.ndarray,
        founders: int = 0,
    ) -> None:
        super().__init__(model)
        self.firm_index = firm_index
        self.region = region
        self.sector = sector
        self.jobs = np.asarray(jobs, dtype=np.float64)  # copied into the model's row
        self.founders = founders
        self.jobs_per_founder = self.jobs / founders if founders else None
        self.trend: np.ndarray | None = None

    @property
    def jobs(self) -> np.ndarray:
        """Job targets by job cell (a view: writes change the firm's targets)."""
        return self.model.firm_jobs[self.firm_index]

    @jobs.setter
    def jobs(self, value: np.ndarray) -> None:
        self.model.firm_jobs[self.firm_index] = value

    def set_founders(self, founders: int) -> None:
        """A startup's job targets scale with the founders still running it."""
        self.founders = founders
        if self.jobs_per_founder is not None:
            self.jobs = self.jobs_per_founder * founders

    def remove_cycle(self) -> None:
        """Put the digital targets back to their trend (undo last month's cycle factor)."""
        if self.trend is not None:
            self.jobs[IS_DIGITAL_JOB] = self.trend

    def apply_cycle(self, factor: float) -> None:
        """Keep the digital targets as the trend and set them to trend x ``factor``.

        Called once a month after the trend has grown, so the factor never compounds into it.
        """
        self.trend = self.jobs[IS_DIGITAL_JOB].copy()
        self.jobs[IS_DIGITAL_JOB] = self.trend * factor
