"""A sweep killed with SIGKILL part-way, twice, and resumed ends with every run exactly once, intact."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from talentsim.sweep import load_outcomes, load_sweep, run_sweep

from .conftest import sweep_text, write_sweep

N_RUNS = 24


def finished(out: Path) -> set[str]:
    runs = out / "runs"
    return {p.name for p in runs.iterdir() if not p.name.startswith(".")} if runs.is_dir() else set()


def start(path: Path, out: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "talentsim.cli", "sweep", str(path), "--out", str(out), "--quiet", *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def kill_after(proc: subprocess.Popen, out: Path, more_than: int, timeout: float = 60.0) -> int:
    """SIGKILL the sweep (and its worker processes) once more than ``more_than`` runs have finished."""
    deadline = time.monotonic() + timeout
    while len(finished(out)) <= more_than:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the sweep did not get going"
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, as a terminal's kill would
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return len(finished(out))


def test_sweep_killed_part_way_and_resumed_has_every_run_once_and_intact(tmp_path):
    path = write_sweep(
        tmp_path,
        sweep_text(
            design='method = "lhs"\npoints = 12',
            head='name = "killed"\nseed = 4\nreplicates = 2',
            fixed='scale = 20000\nhorizon.end = "2024-06"',
        ),
    )
    out = tmp_path / "out"
    n1 = kill_after(start(path, out, "--workers", "2"), out, 2)
    assert 2 < n1 < N_RUNS, f"{n1} runs had finished when the first kill landed"
    first = {name: (out / "runs" / name).stat() for name in finished(out)}
    n2 = kill_after(start(path, out, "--resume"), out, n1)
    assert n1 < n2 < N_RUNS, f"{n2} runs had finished when the second kill landed"
    done = start(path, out, "--resume")
    stdout, stderr = done.communicate(timeout=120)
    assert done.returncode == 0, stderr
    ran = int(re.search(r"(\d+) finished before, (\d+) run now", stdout).group(2))
    before = int(re.search(r"(\d+) finished before", stdout).group(1))
    assert before >= n2 and ran == N_RUNS - before  # nothing finished is run again
    # runs finished before a kill were never rewritten
    for name, st in first.items():
        now = (out / "runs" / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (st.st_ino, st.st_mtime_ns)
    names = sorted(finished(out))
    assert names == [f"{i:07d}.parquet" for i in range(N_RUNS)]
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]
    table = load_outcomes(out)
    assert table.groupby("run_id").size().eq(4).all() and table["run_id"].nunique() == N_RUNS
    # every file is identical to a clean, uninterrupted sweep's
    clean = tmp_path / "clean"
    run_sweep(load_sweep(path), clean)
    for name in names:
        assert (out / "runs" / name).read_bytes() == (clean / "runs" / name).read_bytes(), name
    pd.testing.assert_frame_equal(table, load_outcomes(clean))
