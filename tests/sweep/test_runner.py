"""run() and compare() are designs over (scenario x seed) run by the sweep executor.

Wherever the runs go - this process, local processes, a caller's Executor (threads or processes)
- the tables are bit-identical to running each replicate on its own with ``run_one``.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pandas as pd
import pytest

from talentsim.compare import compare
from talentsim.experiment import RunsFailed, run, run_one
from talentsim.scenario import ScenarioError, default_scenario

SPEC = default_scenario().with_updates(scale=40000.0, horizon__end="2024-04")


def one_by_one(spec, seed: int, replicates: int) -> pd.DataFrame:
    table = pd.concat([run_one(spec, seed + i, i) for i in range(replicates)], ignore_index=True)
    for col in ("scenario", "region", "field", "level", "metric"):
        table[col] = table[col].astype("string")
    return table


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return one_by_one(SPEC, 5, 3)


@pytest.mark.parametrize("where", ["serial", "workers", "threads", "processes"])
def test_run_gives_the_same_table_wherever_its_runs_go(reference, where):
    if where == "serial":
        result = run(SPEC, seed=5, replicates=3)
    elif where == "workers":
        result = run(SPEC, seed=5, replicates=3, workers=2)
    elif where == "threads":
        with ThreadPoolExecutor(max_workers=2) as pool:
            result = run(SPEC, seed=5, replicates=3, executor=pool)
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
            result = run(SPEC, seed=5, replicates=3, executor=pool)
    pd.testing.assert_frame_equal(result.timeseries, reference, check_exact=True)
    assert result.seeds == [5, 6, 7]


def test_compare_gives_the_same_effects_in_threads_as_in_this_process():
    lever = SPEC.with_updates(policy=[{"type": "funding", "start": "2024-02", "end": "2024-04"}])
    serial = compare(SPEC, [lever], seed=2, replicates=2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = compare(SPEC, [lever], seed=2, replicates=2, executor=pool)
    pd.testing.assert_frame_equal(serial.effects, threaded.effects, check_exact=True)
    pd.testing.assert_frame_equal(serial.baseline.timeseries, one_by_one(SPEC, 2, 2), check_exact=True)
    assert serial.effects["effect_median"].abs().gt(0).any()  # the lever does something: a real comparison


def test_compare_sets_lever_paths_in_the_scenarios_that_have_that_lever():
    lever = SPEC.with_updates(policy=[{"type": "funding", "start": "2024-02", "end": "2024-04"}])
    comp = compare(SPEC, [lever], replicates=1, policy__funding__coverage=0.5)
    assert comp.results["baseline_2"].scenario.policy[0].coverage == 0.5
    assert comp.baseline.scenario.policy == []
    with pytest.raises(ScenarioError, match="applies to none of the scenarios"):
        compare(SPEC, [SPEC], replicates=1, policy__funding__coverage=0.5)


def test_a_failed_run_is_reported_with_its_scenario_and_seed(monkeypatch, tmp_path):
    import talentsim.experiment

    real = talentsim.experiment.run_one

    def fails_on_seed_6(spec, seed, replicate=0):
        if seed == 6:
            raise FloatingPointError("simulated")
        return real(spec, seed, replicate)

    monkeypatch.setattr(talentsim.experiment, "run_one", fails_on_seed_6)
    runs = tmp_path / "runs"
    with pytest.raises(
        RunsFailed, match=r"1 of 3 run\(s\) failed.*'baseline' on seed 6: FloatingPointError: simulated"
    ):
        run(SPEC, seed=5, replicates=3, runs_dir=runs)
    assert len(list((runs / "runs").glob("*.parquet"))) == 2 and len(list((runs / "failures").glob("*.json"))) == 1
    monkeypatch.setattr(talentsim.experiment, "run_one", real)
    result = run(SPEC, seed=5, replicates=3, runs_dir=runs, resume=True)  # retries the failed run only
    pd.testing.assert_frame_equal(result.timeseries, one_by_one(SPEC, 5, 3), check_exact=True)
