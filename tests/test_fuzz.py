"""Fuzz: mutated shipped files and hostile command lines are refused cleanly (issue 17).

Every case copies the shipped scenario, sweep and calibration files into a fresh folder, damages one
file (or a saved result folder) with a seeded generator, runs one command in-process through
:func:`talentsim.cli.main` and asserts: exit status 0 or 2, no exception and no traceback, nothing
written when refused, and an error in a base file names that file. Simulations are kept tiny
(scale at least 2,000,000 and two months; calibrations keep their horizon and make one step: one
minimiser iteration, or the fixed-point method's slope probes and one iteration).

The default is a fixed seed and 300 cases (CI). Run longer, or another sample, with e.g.::

    TALENTSIM_FUZZ_CASES=5000 TALENTSIM_FUZZ_SEED=7 .venv/bin/python -m pytest -q tests/test_fuzz.py

A failing case is reproduced by its number (and the same seed): ``-k "test_fuzz[123]"``.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.figure
import pytest

from talentsim.cli import main

# Tiny runs and damaged tables make matplotlib warn (log scales without positive values): not what is tested.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

CASES = int(os.environ.get("TALENTSIM_FUZZ_CASES", "300"))
SEED = int(os.environ.get("TALENTSIM_FUZZ_SEED", "17"))
REPO = Path(__file__).parents[1]
TINY_SCALE = 2_000_000.0

# Values a hostile user puts where a TOML value goes.
VALUES = [
    "0",
    "-1",
    "1e300",
    "-1e300",
    "1e-300",
    str(2**63),
    str(2**64),
    str(-(2**63)),
    "1000000000",
    "0.0",
    '""',
    '"x\\u0000y"',
    '"."',
    '".."',
    '"../victim"',
    '"/"',
    "true",
    "[]",
    "{}",
    "nan",
    "inf",
    '"2024-06"',
    '"9999-99"',
    '"\\u00ff\\u4e2d"',
    "[" * 600 + "]" * 600,
    "[[1, 2], [3]]",
    '{ a = { b = { c = 1 } } }',
    "2024-06-01",
    '"loop.toml"',
    '"missing.toml"',
]
# Lines a hostile user adds.
INSERTS = [
    "unknown_key = 1",
    'base = "missing.toml"',
    'base = "loop.toml"',
    'base = "a\\u0000b.toml"',
    'base = "."',
    'base = ""',
    'name = "."',
    'name = "../victim"',
    'name = "a\\u0000b"',
    "[" + ".".join(["n"] * 600) + "]",
    "[fixed." + ".".join(["n"] * 100) + "]\nx = 1",
    "d = " + "[" * 600 + "]" * 600,
    "[processes.education.intake_per_year]\npostgraduate = 1e300",
    "[processes.demography]\nrecruits_per_year = 1e300",
    "scale = 1e-300",
    "[horizon]\nend = \"2024-06\"",
    '[overrides]\n"horizon.end" = "2024-06"',
    "[[policy]]\ntype = \"nonsense\"",
    "[regions.Atlantis]\nwage_index = 1.0",
]
OPTION_NUMBERS = ["0", "-1", "1e-300", "1e300", "nan", "inf", "0.01", str(2**63), str(10**20), "", "x", "1.5", "3"]
OUTS = ["", ".", "..", "file", "file/sub", "a\x00b", "/", "deep/new/out", "results", ".hidden_out"]


@dataclass
class Case:
    """One command on one damaged copy."""

    argv: list[str]
    mutated: Path | None = None  # the damaged file
    named_file: Path | None = None  # a base file whose damage the message must name
    notes: list[str] = field(default_factory=list)


# --- the world each case damages ---


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The shipped files, and saved result folders of a tiny run, a tiny comparison and a sweep."""
    root = tmp_path_factory.mktemp("fuzz_template")
    shutil.copytree(REPO / "src" / "talentsim" / "scenarios", root / "scenarios")
    shutil.copytree(REPO / "sweeps", root / "sweeps")
    shutil.copytree(REPO / "calibrations", root / "calibrations")
    (root / "data").mkdir()
    shutil.copy(REPO / "data" / "calibration_targets.csv", root / "data")
    (root / "file").write_text("a file where a folder is expected")
    saved = root / "saved"
    with pytest.MonkeyPatch.context() as mp:
        tiny_simulations(mp, keep_horizon=False)
        code = main(["run", str(root / "scenarios" / "baseline.toml"), "--out", str(saved / "run"), "--quiet"])
        assert code == 0
        base, plan = root / "scenarios" / "baseline.toml", root / "scenarios" / "action_plan.toml"
        assert main(["compare", str(base), str(plan), "--replicates", "2", "--out", str(saved / "compare")]) == 0
    from talentsim.sweep.execute import _open
    from talentsim.sweep.spec import load_sweep
    from talentsim.sweep.store import Store

    sweep = load_sweep(root / "sweeps" / "morris_guesses.toml")
    _open(Store(saved / "sweep"), sweep.design, sweep.model, False, {})
    return root


def tiny_simulations(mp: pytest.MonkeyPatch, keep_horizon: bool) -> None:
    """Make every simulation tiny: a coarse scale and (unless kept) two months; draw no figures."""
    import talentsim.experiment

    real = talentsim.experiment.run_one

    def run_one(scenario, seed, replicate=0):
        updates = {"scale": max(scenario.scale, TINY_SCALE)}
        if not keep_horizon:
            updates["horizon__end"] = min(scenario.horizon.end, scenario.horizon.start[:4] + "-02")
            updates["horizon__end"] = max(updates["horizon__end"], scenario.horizon.start)
        return real(scenario.with_updates(**updates), seed, replicate)

    mp.setattr(talentsim.experiment, "run_one", run_one)  # run and compare both run through it
    def savefig(self, fname, *args, **kwargs):  # drawing figures costs a second each
        if hasattr(fname, "write"):
            fname.write(b"\x89PNG stand-in")
        else:
            Path(fname).write_bytes(b"\x89PNG stand-in")

    mp.setattr(matplotlib.figure.Figure, "savefig", savefig)

    import talentsim.calibrate

    real_minimize = talentsim.calibrate.minimize

    def one_step(fun, x0, **kwargs):
        kwargs["options"] = {**kwargs.get("options", {}), "maxfev": 1, "maxiter": 1}
        return real_minimize(fun, x0, **kwargs)

    mp.setattr(talentsim.calibrate, "minimize", one_step)

    real_fixed_point = talentsim.calibrate.fixed_point

    def fixed_point_one_step(cal, start, lo, hi):
        # the probes of every slope and one iteration (the file's max_evaluations, up to 40, each 3 replicates)
        steps = min(cal.spec.max_evaluations, len(cal.spec.parameter) + 2)
        cal.spec = cal.spec.model_copy(update={"max_evaluations": steps})
        return real_fixed_point(cal, start, lo, hi)

    mp.setattr(talentsim.calibrate, "fixed_point", fixed_point_one_step)


# --- damage ---


def mutate_text(rng: random.Random, text: str) -> tuple[str, str]:
    lines = text.splitlines()
    op = rng.choice(["value", "value", "value", "delete", "duplicate", "insert", "insert", "truncate", "flip"])
    assignments = [i for i, line in enumerate(lines) if "=" in line and not line.lstrip().startswith(("#", "["))]
    if op == "value" and assignments:
        i = rng.choice(assignments)
        key = lines[i].split("=", 1)[0]
        value = rng.choice(VALUES)
        lines[i] = f"{key}= {value}"
        return "\n".join(lines) + "\n", f"line {i + 1}: {key.strip()} = {value[:40]}"
    if op == "delete" and lines:
        i = rng.randrange(len(lines))
        return "\n".join(lines[:i] + lines[i + 1 :]) + "\n", f"deleted line {i + 1}"
    if op == "duplicate" and lines:
        i = rng.randrange(len(lines))
        return "\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]]) + "\n", f"duplicated line {i + 1}"
    if op == "truncate" and text:
        i = rng.randrange(len(text))
        return text[:i], f"truncated at {i}"
    if op == "flip" and text:
        i = rng.randrange(len(text))
        return text[:i] + chr(rng.randrange(1, 0x3000)) + text[i + 1 :], f"character {i} replaced"
    insert = rng.choice(INSERTS)
    at = rng.choice([0, len(lines)])
    return "\n".join([*lines[:at], insert, *lines[at:]]) + "\n", f"inserted {insert[:40]!r} at line {at}"


def damage_file(rng: random.Random, path: Path) -> str:
    """Damage ``path`` in place; say how."""
    kind = rng.random()
    if path.suffix == ".csv" and kind < 0.3:
        path.write_text(rng.choice(["a,b\n1,2\n", "quantity,year\nx,2024\n", "quantity,year,value\nx,y,z\n"]))
        return "another CSV"
    if kind < 0.78:
        text, how = mutate_text(rng, path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        return how
    path.unlink()
    if kind < 0.84:
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))))
        return "random bytes"
    if kind < 0.88:
        path.write_bytes(b"")
        return "empty"
    if kind < 0.92:
        path.symlink_to(path.name)
        return "symlink loop"
    if kind < 0.96:
        path.mkdir()
        return "a folder"
    return "missing"


def damage_folder(rng: random.Random, folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    target = rng.choice(files)
    data = target.read_bytes()
    how = rng.choice(["bytes", "truncate", "empty", "delete", "json"])
    if how == "bytes":
        target.write_bytes(b"\xff\x00" + data[rng.randrange(max(len(data), 1)) :])
    elif how == "truncate":
        target.write_bytes(data[: rng.randrange(max(len(data), 1))])
    elif how == "empty":
        target.write_bytes(b"")
    elif how == "delete":
        target.unlink()
    else:
        target.write_bytes(rng.choice([b"[1, 2]", b"{}", b'{"scenario_name": 3}', b"\xff", b"null"]))
    return f"{how} {target.relative_to(folder)}"


def base_of(path: Path) -> Path | None:
    """The file a shipped scenario, sweep or calibration names as its base (resolved), if any."""
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    ref = data.get("base") or data.get("scenario")
    return (path.parent / ref).resolve() if isinstance(ref, str) else None


def options(rng: random.Random, names: list[str]) -> list[str]:
    out: list[str] = []
    for name in rng.sample(names, rng.randrange(len(names) + 1)):
        out += [name, rng.choice(OUTS if name == "--out" else OPTION_NUMBERS)]
    return out


def make_case(rng: random.Random, root: Path) -> Case:
    scenarios = sorted((root / "scenarios").rglob("*.toml"))
    family = rng.choices(["scenario", "sweep", "calibration", "folder", "options"], [45, 22, 5, 15, 13])[0]
    if family in ("scenario", "options"):
        top = rng.choice(scenarios)
        case = Case([])
        if family == "scenario":
            base = base_of(top)
            target = base if base is not None and rng.random() < 0.35 else top
            case.mutated, case.notes = target, [damage_file(rng, target)]
            if target != top:
                case.named_file = target
        command = rng.choice(["validate", "run", "run", "compare"])
        if command == "validate":
            case.argv = ["validate", str(top)]
        elif command == "run":
            case.argv = ["run", str(top), *options(rng, ["--scale", "--replicates", "--seed", "--out"]), "--quiet"]
        else:
            case.argv = ["compare", str(root / "scenarios" / "baseline.toml"), str(top)]
            case.argv += options(rng, ["--scale", "--replicates", "--seed", "--out"])
        return case
    if family == "sweep":
        sweep = rng.choice(sorted((root / "sweeps").glob("*.toml")))
        target = base_of(sweep) if rng.random() < 0.3 else sweep
        case = Case([], target, target if target != sweep else None, [damage_file(rng, target)])
        extra = options(rng, ["--out", "--workers"])
        if rng.random() < 0.7:
            case.argv = ["sweep", str(sweep), "--dry-run", *extra]
        else:  # a real sweep is refused before any run: by its scheduler or by its options
            refuse = rng.choice([["--scheduler", "not-an-address"], ["--retry-failed"], ["--dask-local", "0"]])
            case.argv = ["sweep", str(sweep), *refuse, *extra, "--quiet"]
        return case
    if family == "calibration":
        cal = root / "calibrations" / "baseline.toml"
        target = rng.choice([cal, cal, cal, root / "data" / "calibration_targets.csv"])
        case = Case([], target, None, [damage_file(rng, target)])
        case.argv = ["calibrate", str(cal), *options(rng, ["--out"])]
        return case
    kind = rng.choice(["run", "compare", "sweep"])
    folder = root / "saved" / kind
    case = Case([], None, None, [damage_folder(rng, folder)])
    command = "sensitivity" if kind == "sweep" else rng.choice(["plot", "report"])
    case.argv = [command, str(folder)]
    if command != "sensitivity":
        case.argv += ["--out", str(root / ("figures" if command == "plot" else "report.html"))]
    return case


# --- checks ---


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every entry under ``root`` (not following links), with a file's size and modification time."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            out[os.path.relpath(os.path.join(folder, name), root)] = (-1, -1)
        for name in files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (st.st_size, st.st_mtime_ns)
    return out


def invoke(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refusing an option
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("number", range(CASES))
def test_fuzz(number, template, tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(template, root, symlinks=True)
    work = root / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    rng = random.Random(SEED * 1_000_003 + number)
    case = make_case(rng, root)
    tiny_simulations(monkeypatch, keep_horizon=case.argv[0] == "calibrate")  # calibration targets need it
    before = snapshot(root)
    what = f"case {number} (seed {SEED}): talentsim {' '.join(map(repr, case.argv))}; {'; '.join(case.notes)}"
    try:
        code, out, err = invoke(case.argv)
    except Exception as exc:  # any exception out of main is a traceback for the user
        pytest.fail(f"{what}\nraised {type(exc).__name__}: {exc}")
    assert code in (0, 2), f"{what}\nexit {code}\n{err[-2000:]}"
    assert "Traceback" not in err + out, f"{what}\n{err[-2000:]}"
    if code == 2:
        assert err.strip(), what
        assert snapshot(root) == before, f"{what}\nrefused but wrote: {sorted(set(snapshot(root)) ^ set(before))}"
        about_options = "usage: talentsim" in err or "error: command line" in err or re.search(r"(^|\s)--[a-z]", err)
        if case.named_file is not None and not about_options:
            named = {str(case.named_file), os.path.relpath(case.named_file, work)}
            assert any(n in err for n in named), f"{what}\nthe damaged base file is not named:\n{err[-2000:]}"
