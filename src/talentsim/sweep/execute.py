"""Running a design: in this process, in local processes, or on a Dask cluster.

Whatever the executor, every run calls the same top-level function, :func:`execute_run`, with
the same pickled model, inputs and seed, so a sweep's numbers do not depend on where or in what
order its runs are done. The parent process alone writes the store, as results arrive.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import inspect
import logging
import multiprocessing
import numbers
import os
import shutil
import socket
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cloudpickle
import pandas as pd
from tqdm import tqdm

from talentsim.sweep.design import Design
from talentsim.sweep.spec import SweepError
from talentsim.sweep.store import FAILURES, LOCK, RUNS, Store, load_failures, load_outcomes

if TYPE_CHECKING:
    from talentsim.sweep.sensitivity import Sensitivity
    from talentsim.sweep.spec import Sweep

Task = tuple[int, dict[str, Any], int]  # run_id, inputs, seed
Outcome = tuple[int, pd.DataFrame | None, dict[str, Any] | None]  # run_id, table or None, error or None


class WorkerLost(RuntimeError):
    """A local worker process died (killed, or out of memory); finished runs are kept."""


@functools.lru_cache(maxsize=4)
def _load(payload: bytes) -> tuple[Callable[..., Any], bool]:
    func = cloudpickle.loads(payload)
    try:
        takes_seed = "seed" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        takes_seed = False
    return func, takes_seed


def as_table(result: Any) -> pd.DataFrame:
    """A model's return value as an outcome table with at least ``metric`` and ``value`` columns.

    A number becomes metric ``y``; a mapping of names to numbers one row per name; a DataFrame is
    kept as it is (it needs a ``value`` column).

    Raises:
        TypeError: anything else.
    """
    if isinstance(result, pd.DataFrame):
        if "value" not in result.columns:
            raise TypeError(f"the model returned a table without a value column (columns {list(result.columns)})")
        df = result.reset_index(drop=True).copy()
        if pd.api.types.is_numeric_dtype(df["value"]):
            df["value"] = df["value"].astype("float64")
        return df
    if isinstance(result, Mapping):
        return pd.DataFrame(
            {
                "metric": pd.Series([str(k) for k in result], dtype="str"),
                "value": pd.Series([float(v) for v in result.values()], dtype="float64"),
            }
        )
    if isinstance(result, numbers.Real):
        return pd.DataFrame({"metric": pd.Series(["y"], dtype="str"), "value": [float(result)]})
    raise TypeError(
        f"the model returned {type(result).__name__}; expected a number, a mapping of names to numbers "
        "or a DataFrame with a value column"
    )


def execute_run(payload: bytes, run_id: int, inputs: dict[str, Any], seed: int) -> Outcome:
    """Run one point of a design on one seed; never raises for an error of the model.

    Args:
        payload: the model function, pickled with cloudpickle.
        run_id: the run's id, returned with the result.
        inputs: keyword arguments of the model.
        seed: the run's seed (passed if the model has a ``seed`` parameter).

    Returns:
        ``(run_id, outcome table, None)``, or ``(run_id, None, error record)`` if the model raised.
    """
    try:
        func, takes_seed = _load(payload)
        result = func(**inputs, seed=seed) if takes_seed else func(**inputs)
        return run_id, as_table(result), None
    except Exception as exc:
        return run_id, None, error_record(exc)


def error_record(exc: BaseException) -> dict[str, Any]:
    """What is kept of an error: its type, message and traceback, and where it happened."""
    return {
        "error_type": type(exc).__name__,
        "message": str(exc),
        "traceback": "".join(traceback.format_exception(exc)),
        "host": socket.gethostname(),
    }


def _serial(payload: bytes, tasks: list[Task]) -> Iterator[Outcome]:
    for run_id, inputs, seed in tasks:
        yield execute_run(payload, run_id, inputs, seed)


# What a local worker needs, imported once in the fork server: workers forked from it start in
# milliseconds instead of importing Mesa, pandas and the model (about 2 s of CPU) each.
WORKER_PRELOAD: tuple[str, ...] = ("talentsim.sweep.execute", "talentsim.sweep.outcomes", "talentsim.model")


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:  # the sweep was killed: do not run on as an orphan
            os._exit(1)


def _worker_init() -> None:
    """Start a local worker: it ends itself if the process that started it dies (even by kill -9).

    That process is the sweep's (spawn) or the fork server (which ends when the sweep ends).
    """
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="talentsim-watch-parent").start()


def _mp_context() -> multiprocessing.context.BaseContext:
    """Fork-server workers where the platform has them (Linux, macOS), spawned ones elsewhere.

    The fork server is started once, by the first local pool, with the model already imported;
    it serves every later pool of the process too (repeated ``compare()`` calls, resumed sweeps).
    Forking from it is safe: it runs no threads. This sets the fork server's preload list (a setting of
    :mod:`multiprocessing` for this process) to :data:`WORKER_PRELOAD`.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    return ctx


def _local(payload: bytes, tasks: list[Task], workers: int) -> Iterator[Outcome]:
    pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=_mp_context(), initializer=_worker_init)
    try:
        yield from _as_completed([pool.submit(execute_run, payload, *t) for t in tasks], "resume the sweep")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _as_completed(futures: list[Future[Outcome]], hint: str) -> Iterator[Outcome]:
    """Each run's outcome as it finishes; a dead worker process is a :class:`WorkerLost` ending with ``hint``."""
    for fut in as_completed(futures):
        try:
            yield fut.result()
        except BrokenProcessPool as exc:
            message = f"a worker process died (killed, or out of memory); finished runs are kept: {hint}"
            raise WorkerLost(message) from exc


def _executor(payload: bytes, tasks: list[Task], executor: Executor) -> Iterator[Outcome]:
    """Runs submitted to a caller's Executor, which is left running; pending runs are cancelled on exit."""
    futures: list[Future[Outcome]] = [executor.submit(execute_run, payload, *t) for t in tasks]
    try:
        yield from _as_completed(futures, "resume")
    finally:
        for fut in futures:
            fut.cancel()


def _malloc_trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def _dask(payload: bytes, tasks: list[Task], scheduler: str | None, dask_local: int | None) -> Iterator[Outcome]:
    import dask
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler is not None:
        try:
            client = Client(scheduler)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SweepError(scheduler, [("--scheduler", f"cannot connect to the Dask scheduler: {exc}")]) from None
        trimmed = sorted(w for w, v in client.run(_malloc_trim_threshold).items() if v is not None)
        if trimmed:
            warnings.warn(
                f"{len(trimmed)} Dask worker(s) run with MALLOC_TRIM_THRESHOLD_ set (Dask's default), which makes "
                "talentsim runs up to twice as slow; set distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_ "
                "to null in the workers' Dask configuration (see 'Running on a Dask cluster' in docs/sweeps.md)",
                UserWarning,
                stacklevel=3,
            )
    else:
        dashboard = ":8787" if importlib.util.find_spec("bokeh") else None
        # Dask's nannies set MALLOC_TRIM_THRESHOLD_, which turns off glibc's adaptive mmap threshold:
        # every large NumPy array is then mapped and zeroed afresh, and a run takes 1.5-2 times as long.
        try:
            with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
                cluster = LocalCluster(
                    n_workers=dask_local,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=dashboard,
                    silence_logs=logging.ERROR,
                )
        except (OSError, RuntimeError, TimeoutError) as exc:  # e.g. "Nanny failed to start."
            problem = f"cannot start it: {type(exc).__name__}: {exc}"
            if "failed to start" in str(exc):  # workers spawned from a script re-run it unless it is guarded
                problem += "; from a Python script, call talentsim under 'if __name__ == \"__main__\":'"
            raise SweepError(f"a Dask LocalCluster of {dask_local} worker(s)", [("--dask-local", problem)]) from None
        client = Client(cluster)
    futures: dict[Any, Task] = {}
    try:
        [shared] = client.scatter([payload], broadcast=True)
        for t in tasks:
            futures[client.submit(execute_run, shared, *t, pure=False)] = t
        for fut in dask_completed(list(futures)):
            run_id = futures[fut][0]
            try:
                yield fut.result()
            except Exception as exc:  # e.g. KilledWorker: the run took its workers down
                yield run_id, None, error_record(exc)
            fut.release()
    finally:
        if futures:
            client.cancel(list(futures))
        client.close()
        if cluster is not None:
            cluster.close()


class _Memory:
    """A store kept in memory, for designs run without an output folder."""

    def __init__(self) -> None:
        self.runs: dict[int, pd.DataFrame] = {}
        self.failures: dict[int, dict[str, Any]] = {}

    def finished(self) -> set[int]:
        return set(self.runs)

    def failed(self) -> set[int]:
        return set(self.failures)

    def write_run(self, run_id: int, table: pd.DataFrame) -> None:
        self.runs[run_id] = table
        self.failures.pop(run_id, None)

    def write_failure(self, run_id: int, record: dict[str, Any]) -> None:
        self.failures[run_id] = record


@dataclass
class SweepResult:
    """What a sweep (or a run of a design) produced.

    Attributes:
        design: the design.
        outcomes: every finished run's outcomes with its design row, in run order.
        failures: one row per failed run (error type, message, traceback, inputs).
        out: the sweep folder, or None if kept in memory.
        total: runs in the design.
        finished_before: runs already finished when this call started (``resume``).
        ran: runs done in this call (finished or failed).
        failed: runs that failed in this call.
        wall_seconds: time this call took.
    """

    design: Design
    outcomes: pd.DataFrame
    failures: pd.DataFrame
    out: Path | None
    total: int
    finished_before: int
    ran: int
    failed: int
    wall_seconds: float

    @property
    def runs_per_minute(self) -> float:
        """Runs done in this call per minute of wall time."""
        return 60.0 * self.ran / self.wall_seconds if self.wall_seconds > 0 else float("nan")

    def sensitivity(
        self, outcome: str | None = None, region: str | None = None, date: str | None = None
    ) -> Sensitivity:
        """Indices of an outcome by the design's method (see :func:`talentsim.sweep.sensitivity.analyse`)."""
        from talentsim.sweep.sensitivity import analyse

        return analyse(self.design, self.outcomes, outcome=outcome, region=region, date=date)


def _fingerprint(func: Any) -> dict[str, Any]:
    fp = getattr(func, "fingerprint", None)
    if callable(fp):
        return fp()
    return {"function": f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"}


def _samples_table(design: Design) -> pd.DataFrame:
    df = pd.DataFrame(design.samples, columns=design.names)
    df.insert(0, "point", range(design.n_points))
    return df


def _open(store: Store, design: Design, func: Any, resume: bool, meta: Mapping[str, Any]) -> None:
    from talentsim import __version__
    from talentsim.provenance import library_versions

    fp = {"design": design.fingerprint(), "model": _fingerprint(func)}
    if store.exists:
        if not resume:
            raise SweepError(
                store.out, [("", "already holds a sweep; add --resume to finish it, or choose another folder")]
            )
        old = store.meta().get("fingerprint", {})
        for part, what in (("design", "design"), ("model", "base scenario, paths or outcomes")):
            if old.get(part) != fp[part]:
                raise SweepError(
                    store.out,
                    [("", f"holds a different sweep (its {what} differ from this one's); choose another folder")],
                )
        return
    info = {
        **meta,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "talentsim_version": __version__,
        "python": sys.version.split()[0],
        "versions": library_versions(),
        "runs": design.n_runs,
        "fingerprint": fp,
    }
    store.create(design.table, _samples_table(design), design.problem, info)


def run_design(
    func: Callable[..., Any],
    design: Design,
    *,
    out: str | Path | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    progress: bool | None = None,
    name: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> SweepResult:
    """Run every point of a design through a model function.

    The model is any callable taking the inputs as keyword arguments (and ``seed``, if it has a
    parameter of that name) and returning a number, a mapping of names to numbers, or a table with
    a ``value`` column - the simulator (:class:`~talentsim.sweep.outcomes.ScenarioModel`) or a
    notebook's own function. It is pickled with cloudpickle, so functions defined in a notebook
    run in local processes and on Dask workers.

    Args:
        func: the model.
        design: the design (:func:`~talentsim.sweep.design.make_design`).
        out: a sweep folder to store runs in as they finish; None keeps them in memory.
        workers: local processes (1 runs in this process); ignored with an executor or Dask.
        executor: any :class:`concurrent.futures.Executor` to submit runs to (a
            ``ThreadPoolExecutor``, a ``ProcessPoolExecutor``, ``distributed.Client.get_executor()``);
            it is left running.
        scheduler: address of a running Dask scheduler to send runs to.
        dask_local: start a Dask LocalCluster of this many single-threaded worker processes.
        resume: continue the sweep stored in ``out``, running only the runs it lacks.
        retry_failed: with ``resume``, run failed runs again too.
        progress: show a progress bar (default: if stderr is a terminal).
        name: label of the progress bar.
        meta: extra fields for ``sweep.json``.

    Returns:
        A :class:`SweepResult`. A run that raises is recorded with its error and inputs; the others go on.

    Raises:
        SweepError: ``out`` holds another sweep, holds this one without ``resume``, or is in use.
        WorkerLost: a local worker process died; resume to finish.
    """
    if sum(x is not None for x in (executor, scheduler, dask_local)) > 1:
        raise ValueError("give one of an executor, a Dask scheduler address and a LocalCluster size, not both")
    if workers < 1:
        raise ValueError(f"workers: expected at least 1, got {workers}")
    try:
        payload = cloudpickle.dumps(func)
    except Exception as exc:
        raise TypeError(f"the model cannot be pickled for worker processes: {exc}") from exc
    start = time.perf_counter()
    store: Store | _Memory
    if out is None:
        store = _Memory()
        return _run(
            payload, design, store, None, workers, executor, scheduler, dask_local, retry_failed, progress, name, start
        )
    store = Store(out)
    new_sweep = not store.exists
    fresh = _first_missing(Path(out))  # the folder (or the ancestor) this call will create, if any
    try:
        with store.lock():
            _open(store, design, func, resume, meta or {})
            store.tidy()
            return _run(
                payload,
                design,
                store,
                Path(out),
                workers,
                executor,
                scheduler,
                dask_local,
                retry_failed,
                progress,
                name,
                start,
            )
    except BlockingIOError:
        raise SweepError(out, [("", "another sweep is writing into this folder")]) from None
    except SweepError:  # refused (e.g. no Dask scheduler at that address): leave nothing behind
        if new_sweep and not store.finished() and not store.failed():
            _remove_skeleton(Path(out), fresh)
        raise


def _first_missing(out: Path) -> Path | None:
    """The outermost of ``out`` and its ancestors that does not exist yet, or None if ``out`` exists."""
    missing = None
    for path in (out, *out.parents):
        if os.path.lexists(path):
            return missing
        missing = path
    return missing


def _remove_skeleton(out: Path, fresh: Path | None) -> None:
    """Remove the files a refused sweep created: every folder it made, if ``out`` did not exist before."""
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
        return
    for name in ("design.parquet", "samples.parquet", "problem.json", "sweep.json", LOCK):
        (out / name).unlink(missing_ok=True)
    for sub in (RUNS, FAILURES):
        with contextlib.suppress(OSError):
            (out / sub).rmdir()  # only if empty


def _run(
    payload: bytes,
    design: Design,
    store: Store | _Memory,
    out: Path | None,
    workers: int,
    executor: Executor | None,
    scheduler: str | None,
    dask_local: int | None,
    retry_failed: bool,
    progress: bool | None,
    name: str | None,
    start: float,
) -> SweepResult:
    finished, failed = store.finished(), store.failed()
    skip = finished if retry_failed else finished | failed
    runs = {r[0]: r for r in design.runs()}
    tasks: list[Task] = [(rid, inputs, seed) for rid, (_, _, _, seed, inputs) in runs.items() if rid not in skip]
    table = design.table
    if progress is None:
        progress = sys.stderr.isatty()
    bar = tqdm(
        total=design.n_runs,
        initial=len(skip & set(runs)),
        desc=name or "sweep",
        unit="run",
        disable=not progress,
        dynamic_ncols=True,
    )
    n_failed = 0
    earlier = 0 if retry_failed else len(failed - finished)  # failures kept from before, not retried
    bar.set_postfix(failed=earlier)
    if not tasks:
        results: Iterator[Outcome] = iter(())
    elif executor is not None:
        results = _executor(payload, tasks, executor)
    elif scheduler is not None or dask_local is not None:
        results = _dask(payload, tasks, scheduler, dask_local)
    elif workers > 1 and len(tasks) > 1:
        results = _local(payload, tasks, workers)
    else:
        results = _serial(payload, tasks)
    try:
        for run_id, outcome, error in results:
            _, point, replicate, seed, inputs = runs[run_id]
            if error is not None:
                n_failed += 1
                record = {"run_id": run_id, "point": point, "replicate": replicate, "seed": seed, **error}
                store.write_failure(run_id, {**record, "inputs": inputs})
            elif clash := sorted(set(table.columns) & set(outcome.columns)):
                n_failed += 1
                err = ValueError(f"the model's table has columns of the design: {clash}")
                record = {"run_id": run_id, "point": point, "replicate": replicate, "seed": seed}
                store.write_failure(run_id, {**record, **error_record(err), "inputs": inputs})
            elif out is None:  # joined with the design once, at the end
                store.write_run(run_id, outcome)
            else:
                head = table.iloc[[run_id] * len(outcome)].reset_index(drop=True)
                store.write_run(run_id, pd.concat([head, outcome], axis=1))
            bar.update()
            bar.set_postfix(failed=earlier + n_failed)
    finally:
        if hasattr(results, "close"):
            results.close()  # type: ignore[union-attr]
        bar.close()
    if out is None:
        assert isinstance(store, _Memory)
        ids = sorted(store.runs)
        if ids:
            stacked = pd.concat([store.runs[i] for i in ids], keys=ids, names=["run_id", None])
            stacked = stacked.reset_index(level="run_id").reset_index(drop=True)
            outcomes = table.merge(stacked, on="run_id", how="inner", sort=False)
        else:
            outcomes = pd.DataFrame(columns=[*table.columns, "metric", "value"])
        fails = pd.DataFrame([store.failures[i] for i in sorted(store.failures)])
    else:
        outcomes, fails = load_outcomes(out), load_failures(out)
    return SweepResult(
        design=design,
        outcomes=outcomes,
        failures=fails,
        out=out,
        total=design.n_runs,
        finished_before=len(finished),
        ran=len(tasks),
        failed=n_failed,
        wall_seconds=time.perf_counter() - start,
    )


def run_sweep(
    sweep: Sweep,
    out: str | Path | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    progress: bool | None = None,
) -> SweepResult:
    """Run a sweep of the simulator (see :func:`run_design` for the arguments)."""
    meta = {"name": sweep.name, "sweep_file": sweep.path, "sweep_toml": sweep.text, "base": sweep.base.name}
    return run_design(
        sweep.model,
        sweep.design,
        out=out,
        workers=workers,
        scheduler=scheduler,
        dask_local=dask_local,
        resume=resume,
        retry_failed=retry_failed,
        progress=progress,
        name=sweep.name,
        meta=meta,
    )
