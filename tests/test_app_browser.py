"""The app in a real browser: build engineer_training in the West at double intensity, run, check, take away.

Playwright drives the system's Chromium (``executable_path``; no browser is downloaded). The app
runs as ``talentsim app`` in a subprocess on a free local port. Its headline table must hold the
numbers ``talentsim compare`` gives for the downloaded files on the same seeds.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

if os.environ.get("CI"):  # CI installs the app extra and playwright (.ci/run): a missing one is a failure there
    import playwright.sync_api as playwright_api
    import solara  # noqa: F401
else:
    pytest.importorskip("solara", reason="the app extra is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED, REPLICATES, SCALE, END = 3, 2, "20000", "2024-12"
WAIT_MS = 120_000


def _talentsim() -> str:
    return shutil.which("talentsim", path=str(Path(sys.executable).parent)) or "talentsim"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"talentsim app exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"talentsim app did not listen on port {port} within {seconds} s")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install Debian's chromium package")
        pytest.skip("chromium is not installed")
    results = tmp_path_factory.mktemp("app_results")
    port = _free_port()
    proc = subprocess.Popen(
        [_talentsim(), "app", "--port", str(port), "--results", str(results)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/", results
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _fill(page, selector: str, value: str) -> None:
    box = page.locator(f"{selector} input").first
    box.fill(value)
    box.press("Enter")


def _not_blank(path: Path) -> None:
    image = plt.imread(path)[..., :3]
    assert image.std() > 0.05, f"{path.name} looks blank"
    dark = (image.mean(axis=2) < 0.5).mean()
    assert 0.002 < dark < 0.6, f"{path.name}: {dark:.3f} of the pixels are dark"


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.removeprefix("blob:").startswith(url) else None)
    page.goto(url)
    page.locator(".switch-engineer_training").wait_for(timeout=WAIT_MS)
    return page, outside


def _build_engineer_training_west(page) -> None:
    """Switch on engineer_training, in the West only, at twice the default seats; small scale, short horizon."""
    page.locator(".switch-engineer_training label").click()
    card = page.locator(".lever-engineer_training")
    card.locator(".box-seats_per_year").wait_for(timeout=WAIT_MS)
    for region in ("Beijing", "Shanghai", "Guangdong", "Jiangsu_Zhejiang", "Rest_of_East", "Central", "Northeast"):
        card.locator(f".region-{region} label").click()
    _fill(page, ".lever-engineer_training .box-seats_per_year", "160000")
    _fill(page, ".horizon-end", END)
    _fill(page, ".scale", SCALE)
    _fill(page, ".replicates", str(REPLICATES))
    _fill(page, ".seed", str(SEED))


def _cells(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(f"{selector} td").all_inner_texts()]


def test_build_run_compare_and_take_away(app, browser, tmp_path):
    import talentsim.report
    from talentsim.cli import main
    from talentsim.report import STANDARD_FIGURES, cost_rows, effect_rows, load_results

    url, results = app
    t0 = time.monotonic()
    page, outside = _open(browser, url)
    _build_engineer_training_west(page)
    print(f"built at {time.monotonic() - t0:.1f} s")
    page.locator(".run-button").click()
    page.locator(".run-progress").wait_for(timeout=WAIT_MS)  # a progress bar while it runs
    page.locator(".headline-table td").first.wait_for(timeout=WAIT_MS)
    page.locator(".figure-outcomes").wait_for(timeout=WAIT_MS)
    page.locator(".tile-map").wait_for(timeout=WAIT_MS)
    for name in ("effects_forest", "effects_over_time", "cost_effectiveness"):
        assert page.locator(f".figure-{name}").count() == 1
    headline_en, cost_en = _cells(page, ".headline-table"), _cells(page, ".cost-table")
    page.locator(".run-done").scroll_into_view_if_needed()
    shot_en = tmp_path / "app_en.png"
    page.screenshot(path=shot_en)
    _not_blank(shot_en)

    print(f"run shown at {time.monotonic() - t0:.1f} s")
    # take the two scenario files away and repeat the run from the command line
    files = {}
    for label in ("Scenario file (TOML)", "Baseline file (TOML)"):
        with page.expect_download() as d:
            page.get_by_text(label).click()
        files[label] = tmp_path / d.value.suggested_filename
        d.value.save_as(files[label])
    scenario, baseline = files["Scenario file (TOML)"], files["Baseline file (TOML)"]
    assert scenario.name == "my_scenario.toml" and baseline.name == "app_baseline.toml"
    assert main(["validate", str(scenario)]) == 0
    assert main(["validate", str(baseline)]) == 0
    # Chinese, people in 万
    page.locator(".language").get_by_text("zh", exact=True).click()
    page.get_by_text("期末效应").first.wait_for(timeout=WAIT_MS)
    page.locator(".wan-switch label").click()
    page.locator(".run-done").scroll_into_view_if_needed()

    # meanwhile the command line (in this process): its tables are compared, the app's figures are checked below
    cli_out = tmp_path / "cli"
    argv = [str(baseline), str(scenario), "--seed", str(SEED), "--replicates", str(REPLICATES), "--out", str(cli_out)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(talentsim.report, "write_figures", lambda *args, **kwargs: [])
        assert main(["compare", *argv]) == 0

    [app_folder] = [p for p in results.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert sorted(p.stem for p in (app_folder / "figures").glob("*.png")) == sorted(STANDARD_FIGURES)
    for table in ("effects.csv", "cost_effectiveness.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(app_folder / table), pd.read_csv(cli_out / table))
    cli = load_results([cli_out])
    assert cli.scenarios["my_scenario"]["policy"][0]["regions"] == ["West"]
    assert cli.scenarios["my_scenario"]["policy"][0]["seats_per_year"] == 160000.0
    assert cli.seeds == [SEED, SEED + 1]
    expected = effect_rows(cli, "en")
    assert headline_en == [str(v) for v in expected.to_numpy().ravel()]
    assert cost_en == [str(v) for v in cost_rows(cli.cost_effectiveness, "en").to_numpy().ravel()]

    expected_zh = effect_rows(cli, "zh", wan=True)
    page.wait_for_function(
        "n => document.querySelectorAll('.headline-table th').length > 0 && "
        "document.querySelector('.headline-table').innerText.includes(n)",
        arg=str(expected_zh.iloc[0, 2]),
        timeout=WAIT_MS,
    )
    assert _cells(page, ".headline-table") == [str(v) for v in expected_zh.to_numpy().ravel()]
    print(f"cli compare and zh shown at {time.monotonic() - t0:.1f} s")

    # the saved folder, picked in the second tab, shows the same table
    page.get_by_text("比较已保存结果").click()
    try:
        page.locator(".saved-folder").get_by_text(app_folder.name, exact=True).click(timeout=WAIT_MS)
        page.locator(".saved-column .headline-table td").first.wait_for(timeout=WAIT_MS)
    finally:
        page.screenshot(path=tmp_path / "saved.png")
    assert _cells(page, ".saved-column .headline-table") == [str(v) for v in expected_zh.to_numpy().ravel()]
    page.get_by_text("构建与运行").click()
    shot_zh = tmp_path / "app_zh.png"
    page.screenshot(path=shot_zh, full_page=False)
    _not_blank(shot_zh)
    if os.environ.get("TALENTSIM_APP_SCREENSHOTS"):  # keep them to look at (and for the README)
        out = Path(os.environ["TALENTSIM_APP_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot_en, out / "app_en.png")
        shutil.copy(shot_zh, out / "app_zh.png")
        page.screenshot(path=out / "app_full_zh.png", full_page=True)
    assert outside == []  # the page asks nothing of any other server
    page.close()


def test_bad_input_shows_the_files_message_and_runs_nothing_and_a_failing_run_keeps_the_app(app, browser):
    from dataclasses import replace

    from talentsim.app.form import build, form_from_scenario, result_folder_name

    url, results = app
    page, outside = _open(browser, url)
    page.locator(".switch-engineer_training label").click()
    card = page.locator(".lever-engineer_training")
    card.locator(".box-seats_per_year").wait_for(timeout=WAIT_MS)
    before = sorted(p.name for p in results.iterdir())

    def refused(expected: str) -> None:
        page.locator(".run-button").click()
        problem = page.locator(".form-problems-text")
        problem.wait_for(timeout=WAIT_MS)
        page.wait_for_function(
            "t => { const e = document.querySelector('.form-problems-text'); return e && e.innerText.includes(t); }",
            arg=expected,
            timeout=WAIT_MS,
        )
        assert page.locator(".run-progress").count() == 0
        assert sorted(p.name for p in results.iterdir()) == before

    _fill(page, ".lever-engineer_training .window-end", "2024-01")  # before the default start 2024-04
    refused("my_scenario.toml: policy[0]: end 2024-01 is before start 2024-04")
    _fill(page, ".lever-engineer_training .window-end", "2026-12")
    _fill(page, ".lever-engineer_training .box-take_up_rate", "1.5")
    refused("my_scenario.toml: policy[0].take_up_rate: expected a number less than or equal to 1, got 1.5")
    _fill(page, ".lever-engineer_training .box-take_up_rate", "0.1")
    for region in ("Beijing", "Shanghai", "Guangdong", "Jiangsu_Zhejiang", "Rest_of_East", "Central", "Northeast"):
        card.locator(f".region-{region} label").click()
    card.locator(".region-West label").click()  # none left
    refused("policy[0] (engineer_training).regions: no region chosen")

    # a valid scenario whose run raises (its result folder is blocked by a file): the error shows, the app lives on
    card.locator(".region-West label").click()
    _fill(page, ".horizon-end", "2024-06")
    _fill(page, ".scale", "50000")
    _fill(page, ".replicates", "1")
    form = replace(form_from_scenario("baseline"), horizon_end="2024-06", scale=50000.0, replicates=1)
    form = form.with_lever("engineer_training", on=True, regions=("West",))
    blocker = results / result_folder_name(build(form), form)
    blocker.write_text("in the way")
    try:
        page.locator(".run-button").click()
        page.locator(".run-error-text").wait_for(timeout=WAIT_MS)
        assert blocker.name in page.locator(".run-error-text").inner_text()
        assert blocker.read_text() == "in the way"
        page.locator(".language").get_by_text("zh", exact=True).click()  # the page still answers
        page.get_by_text("运行出错").first.wait_for(timeout=WAIT_MS)
        assert page.locator(".run-button").is_enabled()
    finally:
        blocker.unlink()
    assert outside == []
    page.close()
