"""Fixed vocabularies of the model: fields, statuses, programmes and job cells.

These are not parameters: scenarios refer to them by name, and the code refers to them by
the integer codes defined here.
"""

from __future__ import annotations

import numpy as np

FIELDS: tuple[str, ...] = (
    "ai",
    "big_data",
    "integrated_circuits",
    "smart_manufacturing",
    "data_security",
    "other_digital",
    "non_digital",
)
DIGITAL_FIELDS: tuple[str, ...] = FIELDS[:-1]
N_DIGITAL_FIELDS = len(DIGITAL_FIELDS)
NON_DIGITAL = len(FIELDS) - 1

PROGRAMMES: tuple[str, ...] = ("vocational", "undergraduate", "postgraduate")
# Years of study and age at entry of each programme.
PROGRAMME_YEARS: dict[str, int] = {"vocational": 3, "undergraduate": 4, "postgraduate": 3}
ENTRY_AGE: dict[str, int] = {"vocational": 18, "undergraduate": 18, "postgraduate": 22}

# Person status codes (int8). EXITED rows are retired or dead and wait for compaction.
STUDENT, EMPLOYED, UNEMPLOYED, ENTREPRENEUR, ABROAD, INACTIVE, EXITED = range(7)
STATUSES: tuple[str, ...] = (
    "student",
    "employed",
    "unemployed",
    "entrepreneur",
    "abroad",
    "inactive",
    "exited",
)
N_STATUSES = len(STATUSES)
# An extra "from" row in the flow matrix for persons who enter the model during the month.
FROM_OUTSIDE = N_STATUSES

# Person origin codes (int8).
DOMESTIC, RETURNEE, FOREIGN = range(3)

MAX_LEVEL = 8
# Level bands of digital jobs: levels 1-2 junior, 3-4 intermediate, 5-8 senior.
BAND_OF_LEVEL = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2], dtype=np.int8)
BANDS: tuple[str, ...] = ("junior", "intermediate", "senior")
N_BANDS = len(BANDS)

# A job cell (within a region) is a digital field and band, or the single non-digital cell.
N_JOBS = N_DIGITAL_FIELDS * N_BANDS + 1
NON_DIGITAL_JOB = N_JOBS - 1
JOB_FIELD = np.array([j // N_BANDS for j in range(N_JOBS - 1)] + [NON_DIGITAL], dtype=np.int8)
JOB_BAND = np.array([j % N_BANDS for j in range(N_JOBS - 1)] + [0], dtype=np.int8)
IS_DIGITAL_JOB = np.arange(N_JOBS) < NON_DIGITAL_JOB


def qualified_job(field: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The job cell each person searches in: digital field and band, or non-digital.

    A person qualifies for digital jobs of their own field and level band once their digital
    skill level is at least 1 and their field is digital; everyone else searches non-digital jobs.
    """
    digital = (field < NON_DIGITAL) & (level >= 1)
    return np.where(digital, field.astype(np.int16) * N_BANDS + BAND_OF_LEVEL[level], NON_DIGITAL_JOB).astype(np.int8)
