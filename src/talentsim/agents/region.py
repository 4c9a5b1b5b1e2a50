"""Region agents."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from talentsim.constants import N_JOBS
from talentsim.rates import monthly_growth

if TYPE_CHECKING:
    from talentsim.model import TalentModel
    from talentsim.scenario import Region as RegionSpec


class Region(mesa.Agent):
    """A region of the country: its labour market conditions and attractiveness.

    Attributes:
        code: the region's integer code in the population's ``region`` column.
        name: the region's name from the scenario.
        spec: the region's scenario entry (public figures and behavioural attributes).
        wage_offer: monthly wage offer in yuan for each job cell (see ``constants``).
        base_offer: the January 2024 offers, anchor of the wage process.
        finding_rate: last month's job-finding rate of the unemployed in each job cell.
        searchers, vacancies: last month's searchers and vacancies by job cell.
        base_tightness: log tightness by job cell in the first month, anchor of the wage process.
    """

    def __init__(self, model: TalentModel, code: int, name: str, spec: RegionSpec) -> None:
        super().__init__(model)
        self.code = code
        self.name = name
        self.spec = spec
        self.wage_offer = np.zeros(N_JOBS)
        self.base_offer = np.zeros(N_JOBS)
        self.finding_rate = np.zeros(N_JOBS)
        self.searchers: np.ndarray | None = None
        self.vacancies: np.ndarray | None = None
        self.base_tightness: np.ndarray | None = None

    @property
    def monthly_digital_growth(self) -> float:
        """Monthly growth of the digital economy from its annual rate (compounded)."""
        return float(monthly_growth(self.spec.digital_growth))
