"""The environment variable that tells the page where results go (read without importing Solara)."""

from __future__ import annotations

RESULTS_ENV = "TALENTSIM_APP_RESULTS"
