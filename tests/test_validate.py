"""experiments/validate.py writes a complete report whose figures all exist (quick, coarse settings)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "experiments" / "validate.py"


def test_quick_report_has_every_section_and_figure(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = (tmp_path / "validation.md").read_text(encoding="utf-8")
    for heading in (
        "## 1. Calibration targets",
        "## 2. Textbook checks",
        "## 3. Stylised facts",
        "## 4. Which guesses matter",
        "## 5. Regions",
    ):
        assert heading in text
    images = re.findall(r"!\[[^\]]*\]\((validation/[^)]+\.png)\)", text)
    assert len(images) >= 14
    for image in images:
        assert (tmp_path / image).stat().st_size > 5000, image
    # every target row carries a verdict, and the conservation check found no imbalance
    assert text.count("| yes |") + text.count("| **no** |") >= 11
    assert "is 0 agents" in text
    assert "Traceback" not in text and not re.search(r"\bnan\b", text.split("## 4.")[0], re.IGNORECASE)


def test_bad_option_is_refused_without_a_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--replicates", "0", "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "--replicates" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "validation.md").exists()
