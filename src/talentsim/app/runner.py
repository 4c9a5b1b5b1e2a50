"""Runs for the app: in a background process, with progress, cancel and a cached baseline.

A run is the package's own comparison (:func:`talentsim.compare.compare`) of the form's scenario
against its reference on common seeds, saved with :meth:`talentsim.compare.Comparison.save` into
a folder of the results folder, as ``talentsim compare --out`` writes it. The reference's result
is kept per (scenario hash, seed, replicates); when it is known, only the scenario is run
(:func:`talentsim.experiment.run`, the same replicates on the same seeds) and paired with it by
:meth:`~talentsim.compare.Comparison.from_results`.

The work runs in a child process (``spawn``), so a cancel stops it at once and an error in it
cannot take the app down. Progress is the count of finished runs, read from the progress bar the
runners draw on the child's standard error.
"""

from __future__ import annotations

import io
import multiprocessing
import queue
import re
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talentsim.errors import ScenarioError

_PROGRESS = re.compile(r"(\d+)/(\d+)")


@dataclass(frozen=True)
class RunRequest:
    """What to run.

    Attributes:
        baseline: the reference scenario.
        scenario: the scenario.
        seed: the first replicate's seed.
        replicates: replicates of each.
        out: the result folder to write.
        files: extra files to write beside the results (name -> text): the scenario files.
        lang: the language of the saved figures, ``en`` or ``zh``.
        wan: people in 万 in the saved figures.
        figures: draw the standard figures into the folder (the default; the page shows them). ``False``
            saves the tables only (``Comparison.save(figures=False)``), for callers that do not show them.
    """

    baseline: Any
    scenario: Any
    seed: int
    replicates: int
    out: Path
    files: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    wan: bool = False
    figures: bool = True

    @property
    def cache_key(self) -> tuple[str, int, int]:
        """The reference's hash, seed and replicates: equal keys mean an equal reference result."""
        return (self.baseline.digest(), self.seed, self.replicates)


class _ProgressWriter(io.TextIOBase):
    """A stand-in for the child's standard error that sends ``done/total`` counts to the parent."""

    def __init__(self, channel: Any) -> None:
        self.channel = channel
        self.last: tuple[int, int] | None = None

    def write(self, text: str) -> int:
        found = _PROGRESS.findall(text)
        if found:
            done, total = (int(x) for x in found[-1])
            if total and (done, total) != self.last:
                self.last = (done, total)
                self.channel.put(("progress", done, total))
        return len(text)


def _work(request: RunRequest, cached: Any, channel: Any) -> None:
    """The child process: run, save, and report (``done``, ``error`` or ``bad_input``)."""
    import sys

    sys.stderr = _ProgressWriter(channel)
    try:
        from talentsim.compare import Comparison, compare

        if cached is None:
            comparison = compare(
                request.baseline, [request.scenario], seed=request.seed, replicates=request.replicates, progress=True
            )
        else:
            from talentsim.experiment import run

            result = run(request.scenario, seed=request.seed, replicates=request.replicates, progress=True)
            comparison = Comparison.from_results(cached, [result])
        comparison.save(request.out, lang=request.lang, wan=request.wan, figures=request.figures)
        for name, text in request.files.items():
            (request.out / name).write_text(text, encoding="utf-8")
        channel.put(("done", None if cached is not None else comparison.baseline, str(request.out)))
    except ScenarioError as exc:
        channel.put(("bad_input", str(exc), ""))
    except Exception as exc:
        channel.put(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


@dataclass(frozen=True)
class Outcome:
    """How a run ended.

    Attributes:
        status: ``done``, ``cancelled``, ``error`` (the run raised) or ``bad_input`` (a scenario refused).
        message: the error, or the folder written.
        detail: the traceback of an error.
        folder: the result folder of a finished run.
        used_cache: the reference's result came from the cache.
    """

    status: str
    message: str = ""
    detail: str = ""
    folder: str = ""
    used_cache: bool = False


class Runner:
    """Runs comparisons in a child process and keeps the reference's results.

    One Runner serves the whole app; its cache is shared by every page open on it.
    """

    def __init__(self) -> None:
        self.cache: dict[tuple[str, int, int], Any] = {}
        self._lock = threading.Lock()

    def total_runs(self, request: RunRequest) -> int:
        """How many runs a request takes: the scenario's replicates, and the reference's unless cached."""
        return request.replicates * (1 if request.cache_key in self.cache else 2)

    def run(
        self,
        request: RunRequest,
        on_progress: Callable[[int, int], None] = lambda _done, _total: None,
        cancelled: Callable[[], bool] = lambda: False,
        poll_seconds: float = 0.2,
    ) -> Outcome:
        """Run a request in a child process and wait for it (call it from a background thread).

        Args:
            request: what to run.
            on_progress: called with (runs done, runs to do) as they finish.
            cancelled: polled; when it returns True the child is stopped and nothing is written.
            poll_seconds: how often to look at the child.
        """
        from talentsim.results import recover_interrupted

        cached = self.cache.get(request.cache_key)
        ctx = multiprocessing.get_context("spawn")
        channel = ctx.Queue()
        process = ctx.Process(target=_work, args=(request, cached, channel), daemon=True)
        process.start()
        on_progress(0, self.total_runs(request))
        try:
            while True:
                try:
                    item = channel.get(timeout=poll_seconds)
                except queue.Empty:
                    if cancelled():
                        process.terminate()
                        process.join(timeout=10)
                        recover_interrupted(request.out)
                        return Outcome("cancelled", "cancelled: nothing was written")
                    if process.is_alive():
                        continue
                    try:  # a last message may have arrived as the process ended
                        item = channel.get(timeout=1.0)
                    except queue.Empty:
                        return Outcome("error", f"the run stopped unexpectedly (exit code {process.exitcode})")
                kind = item[0]
                if kind == "progress":
                    on_progress(item[1], item[2])
                    continue
                if kind == "done":
                    if item[1] is not None:
                        with self._lock:
                            self.cache[request.cache_key] = item[1]
                    return Outcome("done", item[2], folder=item[2], used_cache=cached is not None)
                return Outcome(kind, item[1], item[2], used_cache=cached is not None)
        finally:
            if process.is_alive():
                process.terminate()
            process.join(timeout=10)
