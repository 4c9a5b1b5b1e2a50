"""Retake ``docs/img/app.png``: the app after a run of engineer training doubled in the West.

Starts ``talentsim app`` on a free local port (results in a temporary folder, shown as
``results/app/...``), drives the system's Chromium through Playwright as
``tests/test_app_browser.py`` does (no browser download), switches on engineer_training in the West
only at 160,000 seats a year, runs the default horizon (2024-01 to 2026-12) at scale 20,000 with
3 replicates from seed 1, waits for the figures and screenshots the effects and cost tables::

    .venv/bin/python docs/img/app_screenshot.py [--out docs/img/app.png]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.test_app_browser import CHROMIUM, FLAGS, _fill, _free_port, _wait_for_port  # noqa: E402

WAIT_MS = 600_000
OTHER_REGIONS = ("Beijing", "Shanghai", "Guangdong", "Jiangsu_Zhejiang", "Rest_of_East", "Central", "Northeast")


def main() -> int:
    """Start the app, run the scenario in the browser and write the screenshot."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=REPO / "docs" / "img" / "app.png")
    args = p.parse_args()
    talentsim = shutil.which("talentsim", path=str(Path(sys.executable).parent)) or "talentsim"
    with tempfile.TemporaryDirectory() as work:
        port = _free_port()
        proc = subprocess.Popen(
            [talentsim, "app", "--port", str(port), "--results", "results/app"],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            _wait_for_port(port, proc)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator(".switch-engineer_training").wait_for(timeout=WAIT_MS)
                page.locator(".switch-engineer_training label").click()
                card = page.locator(".lever-engineer_training")
                card.locator(".box-seats_per_year").wait_for(timeout=WAIT_MS)
                for region in OTHER_REGIONS:
                    card.locator(f".region-{region} label").click()
                _fill(page, ".lever-engineer_training .box-seats_per_year", "160000")
                _fill(page, ".scale", "20000")
                _fill(page, ".replicates", "3")
                _fill(page, ".seed", "1")
                page.locator(".run-button").click()
                page.locator(".figure-outcomes").wait_for(timeout=WAIT_MS)
                page.locator(".run-done").scroll_into_view_if_needed()
                page.mouse.wheel(0, 230)  # the run's message, the effects and the cost table in one view
                page.wait_for_timeout(500)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=args.out)
                browser.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
