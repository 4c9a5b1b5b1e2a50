"""``talentsim run`` and ``talentsim compare`` send their runs to Dask (``--dask-local``, ``--scheduler``).

The tables a Dask LocalCluster gives are bit-identical to the serial ones; a scheduler that cannot
be reached, or a LocalCluster that cannot start, is refused with a message and exit status 2,
leaving no folder behind. The figures are not drawn here (they are the same code whichever runner
ran the replicates, and drawing them takes most of a small command's time).
"""

from __future__ import annotations

from pathlib import Path

import dask
import distributed  # its configuration defaults are loaded before a test sets one of them
import pytest

from talentsim.cli import main

TINY = 'base = "baseline"\nname = "tiny"\nscale = 50000.0\n\n[horizon]\nend = "2024-03"\n'
LEVER = TINY.replace('"tiny"', '"tiny_funding"') + '\n[[policy]]\ntype = "funding"\nstart = "2024-02"\n'


@pytest.fixture
def scenarios(tmp_path, monkeypatch):
    """The tiny baseline and a lever scenario, in a folder that is the working directory; no figures."""
    import matplotlib.pyplot as plt

    import talentsim.experiment
    import talentsim.report

    monkeypatch.setattr(talentsim.experiment.Result, "plot", lambda self, metrics=None: plt.figure(figsize=(1, 1)))
    monkeypatch.setattr(talentsim.report, "write_figures", lambda *args, **kwargs: None)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.toml").write_text(TINY, encoding="utf-8")
    (tmp_path / "lever.toml").write_text(LEVER, encoding="utf-8")
    return tmp_path


def tables(folder: Path) -> dict[str, bytes]:
    """Every table of a result folder, bytes by relative path (metadata.json holds the wall time: left out)."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return {k: v for k, v in files.items() if k != "metadata.json" and not k.startswith("figures")}


class SharedCluster:
    """One LocalCluster of two worker processes, handed to every ``--dask-local 2`` of a test.

    Starting a cluster and importing talentsim in its workers costs several seconds of CPU; the
    commands of one test share it. ``LocalCluster(...)`` calls are recorded with their arguments
    and the cluster is closed at the end of the test, not by each command.
    """

    def __init__(self) -> None:
        self.cluster: distributed.LocalCluster | None = None
        self.calls: list[dict[str, object]] = []
        self._local_cluster = distributed.LocalCluster
        self._close = None

    def __call__(self, **kwargs: object) -> distributed.LocalCluster:
        self.calls.append(kwargs)
        if self.cluster is None:
            self.cluster = self._local_cluster(**kwargs)
            self._close = self.cluster.close
            self.cluster.close = lambda *args, **kwargs: None  # kept open for the next command
        return self.cluster

    def shut(self) -> None:
        if self._close is not None:
            self._close()


@pytest.fixture
def shared_cluster(monkeypatch):
    shared = SharedCluster()
    monkeypatch.setattr(distributed, "LocalCluster", shared)
    yield shared
    shared.shut()


def test_run_and_compare_on_dask_give_the_serial_tables(scenarios, shared_cluster):
    run = ["run", "tiny.toml", "--replicates", "2", "--seed", "3", "--quiet"]
    assert main([*run, "--out", "run_serial"]) == 0
    assert main([*run, "--out", "run_dask", "--dask-local", "2"]) == 0
    serial = tables(scenarios / "run_serial")
    assert sorted(serial) == ["summary.csv", "timeseries.parquet"]
    assert tables(scenarios / "run_dask") == serial

    compare = ["compare", "tiny.toml", "lever.toml", "--replicates", "2"]
    assert main([*compare, "--out", "compare_serial"]) == 0
    assert main([*compare, "--out", "compare_dask", "--dask-local", "2"]) == 0
    serial = tables(scenarios / "compare_serial")
    expected = {"effects.csv", "cost_effectiveness.csv", "timeseries/tiny.parquet", "timeseries/tiny_funding.parquet"}
    assert expected <= set(serial)
    assert tables(scenarios / "compare_dask") == serial
    # a running scheduler's address (--scheduler) gives them too
    assert main([*compare, "--out", "compare_scheduler", "--scheduler", shared_cluster.cluster.scheduler_address]) == 0
    assert tables(scenarios / "compare_scheduler") == serial

    assert [c["n_workers"] for c in shared_cluster.calls] == [2, 2]  # each --dask-local 2 asked for two workers
    assert all(c["threads_per_worker"] == 1 and c["processes"] for c in shared_cluster.calls)
    left = {p.name for p in scenarios.iterdir()}  # no runs kept beside the result folders
    assert left == {"compare_dask", "compare_scheduler", "compare_serial", "run_dask", "run_serial"} | {
        "lever.toml",
        "tiny.toml",
    }


@pytest.mark.parametrize(
    ("command", "out"),
    [(["run", "tiny.toml"], "kept"), (["compare", "tiny.toml", "lever.toml"], "new/deeper/out")],
)
def test_an_unreachable_scheduler_is_refused_and_nothing_is_written(scenarios, capsys, command, out):
    kept = scenarios / "kept"  # an earlier result folder, to be left as it is
    kept.mkdir()
    (kept / "metadata.json").write_text("{}", encoding="utf-8")
    (kept / "effects.csv").write_text("an earlier result\n", encoding="utf-8")
    earlier = {p.name: p.read_bytes() for p in kept.iterdir()}
    with dask.config.set({"distributed.comm.timeouts.connect": "0.3s"}):  # not the default 30 s
        assert main([*command, "--replicates", "2", "--out", out, "--scheduler", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: tcp://127.0.0.1:1: --scheduler: cannot connect to the Dask scheduler")
    assert "Traceback" not in err
    assert sorted(p.name for p in scenarios.iterdir()) == ["kept", "lever.toml", "tiny.toml"]  # no runs, no folders
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == earlier


def test_a_local_cluster_that_cannot_start_is_refused_and_nothing_is_written(scenarios, capsys, monkeypatch):
    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("Nanny failed to start.")

    monkeypatch.setattr(distributed, "LocalCluster", Broken)
    assert main(["run", "tiny.toml", "--replicates", "2", "--out", "out", "--dask-local", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: a Dask LocalCluster of 2 worker(s): --dask-local: cannot start it: RuntimeError: ")
    assert "Nanny failed to start" in err and "__main__" in err and "Traceback" not in err
    assert sorted(p.name for p in scenarios.iterdir()) == ["lever.toml", "tiny.toml"]
