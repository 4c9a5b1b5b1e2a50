"""Report sections for robustness and attribution folders (``talentsim report --robustness DIR --attribution DIR``).

Each section is built from the CSV and JSON files the analysis wrote (``talentsim robustness``,
``experiments/attribution.py``), so the report shows the numbers those commands printed. The
sections are in English.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from talentsim.report import html_table
from talentsim.scenario import ScenarioError

if TYPE_CHECKING:
    from talentsim.report import ReportContext

ROBUSTNESS_FILES = ("robustness.json", "regret.csv", "targets.csv", "prim_boxes.csv")
ATTRIBUTION_FILES = ("attribution.json", "shares.csv", "totals.csv")


def _problem(folder: Path, files: tuple[str, ...], what: str) -> str | None:
    if not folder.is_dir():
        return f"not a folder; expected a {what} folder"
    missing = [f for f in files if not (folder / f).is_file()]
    if missing:
        return f"has no {missing[0]}; expected a {what} folder ({', '.join(files)})"
    return None


def check_section_folders(robustness: Path | None, attribution: Path | None) -> None:
    """Check the section folders before the report is written.

    Raises:
        ScenarioError: a folder is missing or lacks a file the section needs.
    """
    checks = [
        (robustness, ROBUSTNESS_FILES, "talentsim robustness", "--robustness"),
        (attribution, ATTRIBUTION_FILES, "experiments/attribution.py", "--attribution"),
    ]
    for folder, files, what, option in checks:
        if folder is None:
            continue
        problem = _problem(Path(folder), files, what)
        if problem:
            raise ScenarioError(folder, [(option, problem)])


def _table(df: pd.DataFrame, digits: int = 4) -> str:
    shown = df.map(lambda x: f"{x:.{digits}g}" if isinstance(x, float) else x)
    return html_table(shown)


def robustness_section(folder: str | Path) -> str:
    """The robustness section: regret, top k per yuan, targets and PRIM boxes."""
    folder = Path(folder)
    meta = json.loads((folder / "robustness.json").read_text(encoding="utf-8"))
    esc = html.escape
    regret = pd.read_csv(folder / "regret.csv").drop(columns="setting")
    parts = [
        '<section id="robustness"><h2>Robustness of the lever ranking to the guesses</h2>',
        f"<p>{meta['settings']} lever settings, each on the same {meta['draws']} draws (uncertainty point and "
        f"seed) of the sweep {esc(str(meta['sweep']))}; outcome {esc(meta['outcome'])} "
        f"({'more' if meta['goal'] == 'max' else 'less'} is better), {esc(meta['region'])}, {esc(meta['date'])}. "
        "Regret is the best setting's outcome on a draw minus this setting's; 0 where it is the best.</p>",
        _table(regret),
    ]
    top = folder / "top_k.csv"
    if top.is_file():
        t = pd.read_csv(top).drop(columns=["setting", "k"])
        parts += [
            f"<p>Each lever alone against the reference setting on the same draw, per yuan of "
            f"{esc(meta['cost'])}: the share of draws on which it ranks among the top {meta['k']} "
            "(p_top_k), and its effect per million yuan (median and 10-90 % range over draws).</p>",
            _table(t, 3),
        ]
    targets = pd.read_csv(folder / "targets.csv")
    if len(targets):
        parts += [
            "<p>Share of draws on which each setting meets the target.</p>",
            _table(targets.drop(columns="setting"), 3),
        ]
    b = pd.read_csv(folder / "prim_boxes.csv")
    if len(b):
        parts += [
            "<p>Scenario discovery (PRIM, EMA Workbench): for each setting that sometimes misses the target, the "
            "box of uncertainty values where its misses concentrate. Coverage: share of its misses inside the "
            "box; density: share of draws inside the box that miss; low-high: the limits of each restricted "
            "input (min-max: the range sampled).</p>",
            _table(b.drop(columns="setting"), 3),
        ]
    parts.append("</section>")
    return "\n".join(parts)


def attribution_section(folder: str | Path) -> str:
    """The attribution section: Shapley shares with their standard errors, and the check that they add up."""
    folder = Path(folder)
    meta = json.loads((folder / "attribution.json").read_text(encoding="utf-8"))
    shares = pd.read_csv(folder / "shares.csv")
    totals = pd.read_csv(folder / "totals.csv")
    parts = [
        '<section id="attribution"><h2>Who bought what: Shapley attribution of the plan</h2>',
        f"<p>Shapley shares of the plan's effect over its levers, from {meta['permutations']} orderings "
        f"({'antithetic pairs' if meta['antithetic'] else 'independent'}) on seeds "
        f"{', '.join(map(str, meta['seeds']))} ({meta['runs']} runs, each coalition run once per seed). A share is "
        "a lever's mean marginal contribution over orderings, interactions included. se_permutations: standard "
        "error from sampling orderings (seed noise not included); se_seeds: standard error over seeds (the "
        "model's run-to-run noise). The shares add up to the plan's effect by construction.</p>",
        _table(totals),
    ]
    for outcome, t in shares.groupby("outcome", sort=False):
        t = t.sort_values("share", ascending=False).drop(columns="outcome")
        parts += [f"<h3>{html.escape(str(outcome))}</h3>", _table(t)]
    parts.append("</section>")
    return "\n".join(parts)


def robustness_context_section(ctx: ReportContext) -> str:
    """The robustness section when ``ctx.inputs`` has a ``robustness`` folder (else nothing)."""
    folder = ctx.inputs.get("robustness")
    return "" if folder is None else robustness_section(folder)


def attribution_context_section(ctx: ReportContext) -> str:
    """The attribution section when ``ctx.inputs`` has an ``attribution`` folder (else nothing)."""
    folder = ctx.inputs.get("attribution")
    return "" if folder is None else attribution_section(folder)
