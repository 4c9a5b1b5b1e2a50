"""The sweep folder: a design, one Parquet file per finished run, one JSON file per failed run.

Layout of ``DIR``::

    sweep.json        what was swept (sweep file text, fingerprints, versions)
    design.parquet    one row per run: run_id, point, replicate, seed, inputs
    samples.parquet   one row per point: the unit-hypercube coordinates of the inputs
    problem.json      the SALib problem and design settings
    runs/<run_id>.parquet      outcomes of a finished run, with its design row
    failures/<run_id>.json     error, traceback and inputs of a run that raised

Every file is written to a hidden temporary name in its own folder, flushed to disk and renamed
over its final name, so a file with a final name is always complete: killing a sweep at any
moment loses no finished run, and a run is either in ``runs/`` or not. Readers ignore the hidden
temporary names (pyarrow skips files starting with ``.``), so ``pd.read_parquet(DIR / "runs")``
is the consolidated outcome table.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

RUNS = "runs"
FAILURES = "failures"
LOCK = ".lock"
_WIDTH = 7  # digits of run ids in file names, so names sort like numbers


def run_file(out: Path, run_id: int) -> Path:
    """Where a finished run's outcomes live."""
    return Path(out) / RUNS / f"{run_id:0{_WIDTH}d}.parquet"


def failure_file(out: Path, run_id: int) -> Path:
    """Where a failed run's record lives."""
    return Path(out) / FAILURES / f"{run_id:0{_WIDTH}d}.json"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file in the same folder, fsync and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that cannot sync a folder
        pass
    finally:
        os.close(fd)


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """A table as Parquet bytes (no index)."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _ids(folder: Path, suffix: str) -> set[int]:
    if not folder.is_dir():
        return set()
    out = set()
    for p in folder.iterdir():
        if p.name.startswith(".") or not p.name.endswith(suffix):
            continue
        stem = p.name.removesuffix(suffix)
        if stem.isdigit():
            out.add(int(stem))
    return out


def _intact_parquet(path: Path) -> bool:
    try:
        size = path.stat().st_size
        if size < 12:
            return False
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(-4, os.SEEK_END)
            return head == b"PAR1" and fh.read(4) == b"PAR1"
    except OSError:
        return False


class Store:
    """A sweep folder on disk (see the module docstring for its layout)."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)

    @property
    def exists(self) -> bool:
        """Whether the folder already holds a sweep."""
        return (self.out / "design.parquet").is_file()

    def create(self, design_table: pd.DataFrame, samples: pd.DataFrame, problem: dict, meta: dict) -> None:
        """Write the design files, each atomically; ``design.parquet`` last, as it marks the folder as a sweep."""
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / RUNS).mkdir(exist_ok=True)
        (self.out / FAILURES).mkdir(exist_ok=True)
        atomic_write_bytes(self.out / "samples.parquet", parquet_bytes(samples))
        atomic_write_bytes(self.out / "problem.json", json.dumps(problem, indent=2).encode())
        atomic_write_bytes(self.out / "sweep.json", json.dumps(meta, indent=2, default=str).encode())
        atomic_write_bytes(self.out / "design.parquet", parquet_bytes(design_table))

    def meta(self) -> dict[str, Any]:
        """The contents of ``sweep.json``."""
        return json.loads((self.out / "sweep.json").read_text(encoding="utf-8"))

    def problem(self) -> dict[str, Any]:
        """The contents of ``problem.json``."""
        return json.loads((self.out / "problem.json").read_text(encoding="utf-8"))

    def design(self) -> pd.DataFrame:
        """The design table."""
        return pd.read_parquet(self.out / "design.parquet")

    def samples(self) -> pd.DataFrame:
        """The unit-hypercube sample, one row per point."""
        return pd.read_parquet(self.out / "samples.parquet")

    def tidy(self) -> None:
        """Remove temporary files left by a killed sweep, and finished files that are not intact."""
        for sub in (RUNS, FAILURES):
            folder = self.out / sub
            folder.mkdir(parents=True, exist_ok=True)
            for p in folder.iterdir():
                if p.name.startswith(".") and p.name.endswith(".tmp"):
                    p.unlink(missing_ok=True)
        for rid in self.finished():
            path = run_file(self.out, rid)
            if not _intact_parquet(path):
                path.unlink(missing_ok=True)
        for rid in self.finished() & self.failed():  # finished after a failure was recorded
            failure_file(self.out, rid).unlink(missing_ok=True)

    def finished(self) -> set[int]:
        """Run ids with a finished outcome file."""
        return _ids(self.out / RUNS, ".parquet")

    def failed(self) -> set[int]:
        """Run ids with a failure record."""
        return _ids(self.out / FAILURES, ".json")

    def write_run(self, run_id: int, table: pd.DataFrame) -> None:
        """Store a finished run; drop an earlier failure record of it."""
        atomic_write_bytes(run_file(self.out, run_id), parquet_bytes(table))
        failure_file(self.out, run_id).unlink(missing_ok=True)

    def write_failure(self, run_id: int, record: dict[str, Any]) -> None:
        """Store a failed run's record."""
        text = json.dumps(record, indent=2, default=str)
        atomic_write_bytes(failure_file(self.out, run_id), text.encode())

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an exclusive lock on the folder, so two sweeps never write into it at once.

        The operating system releases it when the process ends, however it ends.

        Raises:
            BlockingIOError: another process holds it.
        """
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield
            return
        with open(self.out / LOCK, "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def load_outcomes(out: str | Path) -> pd.DataFrame:
    """Every finished run's outcomes with its design row, in run order.

    The same table as ``pd.read_parquet(out / "runs")``, sorted by run id; empty (with the
    design's columns) if no run has finished.
    """
    out = Path(out)
    if not Store(out).finished():
        cols = list(pd.read_parquet(out / "design.parquet").columns) if (out / "design.parquet").exists() else []
        return pd.DataFrame(columns=[*cols, "metric", "value"])
    df = pd.read_parquet(out / RUNS)
    return df.sort_values("run_id", kind="stable").reset_index(drop=True)


def load_failures(out: str | Path) -> pd.DataFrame:
    """One row per failed run: run_id, point, replicate, seed, error_type, message, traceback, inputs."""
    folder = Path(out) / FAILURES
    ids = sorted(_ids(folder, ".json"))
    records = [json.loads(failure_file(Path(out), i).read_text(encoding="utf-8")) for i in ids]
    cols = ["run_id", "point", "replicate", "seed", "error_type", "message", "traceback", "inputs"]
    return pd.DataFrame(records, columns=cols)
