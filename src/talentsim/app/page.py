"""The Solara page of ``talentsim app`` (started by :mod:`talentsim.app.serve`).

Left, the form: the scenario to start from, horizon, scale, replicates and seed, and the plan's
twelve measures (switch, window, regions, intensities). Right, the run (progress, cancel) and its
results: headline effects with their 10-90 % range, cost-effectiveness, a tile map of the regional
effect, the standard figures and the files to take away. A second tab shows saved result folders
side by side. Language (en/zh) and people in 万 apply throughout.
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import solara
import solara.lab

from talentsim import catalogue
from talentsim.app import views
from talentsim.app.form import (
    BASELINE_FILE,
    Built,
    Form,
    build,
    form_from_scenario,
    reproduce_command,
    result_folder_name,
    scenario_file,
)
from talentsim.app.levers import Intensity, LeverEntry, lever_entries
from talentsim.app.page_env import RESULTS_ENV
from talentsim.app.runner import Outcome, Runner, RunRequest
from talentsim.app.words import word
from talentsim.errors import ScenarioError

RESULTS_DIR = Path(os.environ.get(RESULTS_ENV, str(Path("results") / "app")))
ENTRIES: list[LeverEntry] = lever_entries()
RUNNER = Runner()  # one per server: the baseline cache is shared by every open page
_DRAWING = threading.Lock()  # matplotlib's pyplot state is not safe across threads
_POOL: dict[str, Any] = {}
_FIGURES: dict[tuple[tuple[str, ...], str, bool], dict[str, bytes]] = {}

CSS = """
.talentsim-app table.data { border-collapse: collapse; font-size: .85em; margin: .3em 0 1em; }
.talentsim-app table.data th, .talentsim-app table.data td { border-bottom: 1px solid #ddd; padding: .2em .5em;
  text-align: left; }
.talentsim-app table.data th { background: #f3f3f3; }
.talentsim-app .clause { font-size: .85em; color: #555; }
.talentsim-app pre { white-space: pre-wrap; }
"""

lang = solara.reactive("en")
wan = solara.reactive(False)
form = solara.reactive(form_from_scenario("baseline"))
problems = solara.reactive("")
notes = solara.reactive("")
progress = solara.reactive((0, 0))
outcome = solara.reactive(None)
run_files = solara.reactive({})
saved_picked = solara.reactive(())
cancel_flag = solara.reactive(None)


def _shipped() -> list[str]:
    from talentsim.shipped import shipped_names

    return shipped_names()


def _pool() -> Any:
    """The one worker process that draws figures (drawing in the server would hold up the page)."""
    if "pool" not in _POOL:  # one per server, made on first use
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _POOL["pool"] = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _POOL["pool"]


def figure_pngs(folders: tuple[str, ...], lang_: str, wan_: bool) -> dict[str, bytes]:
    """The standard figures of ``folders`` as PNG bytes, drawn once per (folders, language, units)."""
    key = (folders, lang_, wan_)
    if key not in _FIGURES:
        _FIGURES[key] = _pool().submit(views.draw_standard_figures, folders, lang_, wan_).result()
    return _FIGURES[key]


def _saved_figures(folder: str, lang_: str, wan_: bool) -> None:
    """Remember the figures a run just wrote (in the page's language and units) so they are not drawn again."""
    found = {p.stem: p.read_bytes() for p in sorted((Path(folder) / "figures").glob("*.png"))}
    if found:
        _FIGURES[((folder,), lang_, wan_)] = found


@solara.lab.task
def run_task(built: Built, form_: Form, lang_: str, wan_: bool, cancel: threading.Event) -> Outcome:
    """Run the built scenario against its reference (in a child process) and report progress."""
    out = RESULTS_DIR / result_folder_name(built, form_)
    files = {scenario_file(form_): built.scenario_text, BASELINE_FILE: built.baseline_text}
    request = RunRequest(built.baseline, built.scenario, form_.seed, form_.replicates, out, files, lang_, wan_)
    result = RUNNER.run(request, on_progress=lambda d, t: progress.set((d, t)), cancelled=cancel.is_set)
    if result.status == "done":
        _saved_figures(result.folder, lang_, wan_)
        run_files.set(files)
    outcome.set(result)
    return result


def start_run() -> None:
    """Check the form; run it if it is valid, else show the messages a file would get."""
    problems.set("")
    notes.set("")
    try:
        built = build(form.value)
    except ScenarioError as exc:
        problems.set(str(exc))
        return
    except (ValueError, OSError) as exc:  # anything else the files' loading refuses: shown, never raised
        problems.set(f"{type(exc).__name__}: {exc}")
        return
    if built.warnings:
        notes.set("\n".join(built.warnings))
    event = threading.Event()
    cancel_flag.set(event)
    outcome.set(None)
    run_task(built, form.value, lang.value, wan.value, event)


def cancel_run() -> None:
    """Stop the run under way."""
    if cancel_flag.value is not None:
        cancel_flag.value.set()


def _number(value: Any, integer: bool) -> int | float:
    return round(float(value)) if integer else float(value)


@solara.component
def IntensityInput(entry: LeverEntry, item: Intensity, value: float | int) -> None:
    """A slider over the intensity's range and a box for an exact value (checked as a file is)."""
    label = f"{item.name} ({word('range', lang.value)}: {item.range_text(lang.value)})"
    shown = min(max(float(value), item.slider_low), item.slider_high)

    def from_slider(v: float) -> None:
        if float(v) != shown:  # the slider only reports moves, never its own clamping
            form.set(form.value.with_value(entry.name, item.name, _number(v, item.integer)))

    def from_box(v: float | int | None) -> None:
        if v is not None:
            form.set(form.value.with_value(entry.name, item.name, _number(v, item.integer)))

    with solara.Row(classes=[f"intensity-{item.name}"], style={"align-items": "center"}):
        with solara.Column(style={"flex": "1 1 55%"}):
            if item.integer:
                solara.SliderInt(
                    item.name,
                    value=int(shown),
                    min=int(item.slider_low),
                    max=int(item.slider_high),
                    on_value=from_slider,
                )
            else:
                solara.SliderFloat(
                    item.name,
                    value=shown,
                    min=item.slider_low,
                    max=item.slider_high,
                    step=item.step,
                    on_value=from_slider,
                )
        with solara.Column(style={"flex": "1 1 45%"}):
            if item.integer:
                solara.InputInt(label, value=int(value), on_value=from_box, classes=[f"box-{item.name}"])
            else:
                solara.InputFloat(label, value=float(value), on_value=from_box, classes=[f"box-{item.name}"])


@solara.component
def LeverCard(entry: LeverEntry) -> None:
    """One measure: its switch, clause, window, regions and intensities."""
    lv = form.value.levers[entry.name]
    l_ = lang.value
    other = entry.en if l_ == "zh" else entry.zh
    with solara.Card(classes=[f"lever-{entry.name}"], margin=1):
        solara.Switch(
            label=f"{entry.label(l_)} · {other} ({entry.name})",
            value=lv.on,
            on_value=lambda v: form.set(form.value.with_lever(entry.name, on=v)),
            classes=[f"switch-{entry.name}"],
        )
        solara.HTML(tag="div", unsafe_innerHTML=_escape(entry.clause), classes=["clause"])
        if not lv.on:
            return
        with solara.Row():
            solara.InputText(
                word("window_start", l_),
                value=lv.start,
                classes=["window-start"],
                on_value=lambda v: form.set(form.value.with_lever(entry.name, start=(v or "").strip())),
            )
            solara.InputText(
                word("window_end", l_),
                value=lv.end,
                classes=["window-end"],
                on_value=lambda v: form.set(form.value.with_lever(entry.name, end=(v or "").strip())),
            )
        solara.Text(word("regions", l_))
        with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
            for region in form.value.region_names:

                def toggle(on: bool, region: str = region) -> None:
                    chosen = [r for r in form.value.region_names if r in form.value.levers[entry.name].regions]
                    chosen = [r for r in chosen if r != region] + ([region] if on else [])
                    order = [r for r in form.value.region_names if r in chosen]
                    form.set(form.value.with_lever(entry.name, regions=tuple(order)))

                with solara.Div(classes=[f"region-{region}"]):
                    solara.Checkbox(
                        label=catalogue.region_label(region, l_), value=region in lv.regions, on_value=toggle
                    )
        for item in entry.intensities:
            IntensityInput(entry, item, lv.values[item.name])


def _pre(text: str, css_class: str) -> None:
    """Preformatted text (messages, a command line) with a class to find it by."""
    solara.HTML(tag="pre", unsafe_innerHTML=_escape(text), classes=[css_class])


def _escape(text: str) -> str:
    import html

    return html.escape(text)


@solara.component
def ScenarioSettings() -> None:
    """The scenario to start from, its name, horizon, scale, replicates and seed."""
    f, l_ = form.value, lang.value

    def start_from(name: str | None) -> None:
        if name:
            form.set(form_from_scenario(name, replicates=form.value.replicates, seed=form.value.seed))

    solara.Select(word("start_from", l_), values=_shipped(), value=f.start_from, on_value=start_from)
    solara.InputText(
        word("name", l_),
        value=f.name,
        classes=["scenario-name"],
        on_value=lambda v: form.set(replace(form.value, name=(v or "").strip())),
    )
    with solara.Row():
        solara.InputText(
            word("horizon_start", l_),
            value=f.horizon_start,
            classes=["horizon-start"],
            on_value=lambda v: form.set(replace(form.value, horizon_start=(v or "").strip())),
        )
        solara.InputText(
            word("horizon_end", l_),
            value=f.horizon_end,
            classes=["horizon-end"],
            on_value=lambda v: form.set(replace(form.value, horizon_end=(v or "").strip())),
        )
    with solara.Row():
        solara.InputFloat(
            word("scale", l_),
            value=f.scale,
            classes=["scale"],
            on_value=lambda v: v is not None and form.set(replace(form.value, scale=float(v))),
        )
        solara.InputInt(
            word("replicates", l_),
            value=f.replicates,
            classes=["replicates"],
            on_value=lambda v: v is not None and form.set(replace(form.value, replicates=int(v))),
        )
        solara.InputInt(
            word("seed", l_),
            value=f.seed,
            classes=["seed"],
            on_value=lambda v: v is not None and form.set(replace(form.value, seed=int(v))),
        )


@solara.component
def RunPanel() -> None:
    """The run button, progress, cancel, and what happened."""
    l_ = lang.value
    busy = run_task.pending
    with solara.Row(style={"align-items": "center"}):
        solara.Button(word("run", l_), on_click=start_run, disabled=busy, color="primary", classes=["run-button"])
        solara.Button(word("cancel", l_), on_click=cancel_run, disabled=not busy, classes=["cancel-button"])
    if busy:
        done, total = progress.value
        solara.ProgressLinear(100.0 * done / total if total else True, classes=["run-progress"])
        solara.Text(word("running", l_, done=done, total=total or "?"))
    if problems.value:
        solara.Error(word("invalid", l_), classes=["form-problems"])
        _pre(problems.value, "form-problems-text")
    if notes.value:
        solara.Warning(word("warnings", l_))
        _pre(notes.value, "form-warnings-text")
    if run_task.error:  # the runner itself failed (not the run): show it, keep the page
        solara.Error(word("failed", l_), classes=["run-error"])
        _pre(f"{type(run_task.exception).__name__}: {run_task.exception}", "run-error-text")
    res = outcome.value
    if res is None or busy:
        return
    if res.status == "cancelled":
        solara.Info(word("cancelled", l_), classes=["run-cancelled"])
    elif res.status in ("error", "bad_input"):
        solara.Error(word("failed", l_), classes=["run-error"])
        _pre(res.message, "run-error-text")
    elif res.status == "done":
        text = word("done", l_, folder=res.folder)
        if res.used_cache:
            text += f" ({word('cached', l_)})"
        solara.Success(text, classes=["run-done"])


@solara.component
def ResultView(folders: tuple[str, ...], files: dict[str, str] | None = None) -> None:
    """Tables, tile map, figures and downloads of comparison folders."""
    from talentsim.report import cost_rows, effect_rows

    l_, w_ = lang.value, wan.value
    res = solara.use_memo(lambda: views.load(list(folders)), dependencies=[folders])
    solara.Markdown(f"### {word('headline', l_)}")
    eff = effect_rows(res, l_, w_)  # type: ignore[arg-type]
    if eff is not None:
        solara.HTML(tag="div", unsafe_innerHTML=_html_table(eff), classes=["headline-table"])
    if res.cost_effectiveness is not None and len(res.cost_effectiveness):
        solara.Markdown(f"### {word('cost', l_)}")
        cost = cost_rows(res.cost_effectiveness, l_, w_)  # type: ignore[arg-type]
        solara.HTML(tag="div", unsafe_innerHTML=_html_table(cost), classes=["cost-table"])
    TileMap(res)
    Figures(folders)
    solara.Markdown(f"### {word('take_away', l_)}")
    with solara.Row(style={"flex-wrap": "wrap"}):
        for name, text in (files or {}).items():
            label = word("dl_baseline" if name == BASELINE_FILE else "dl_scenario", l_)
            solara.FileDownload(
                text.encode("utf-8"), filename=name, label=f"{label}: {name}", mime_type="application/toml"
            )
        solara.FileDownload(
            lambda: _pool().submit(views.report_html, folders, l_, w_).result(),
            filename="report.html",
            label=word("dl_report", l_),
            mime_type="text/html",
        )
        if len(folders) == 1:
            folder = Path(folders[0])
            solara.FileDownload(
                lambda: (folder / "effects.csv").read_bytes(),
                filename="effects.csv",
                label=word("dl_effects", l_),
                mime_type="text/csv",
            )
            solara.FileDownload(
                lambda: (folder / "cost_effectiveness.csv").read_bytes(),
                filename="cost_effectiveness.csv",
                label=word("dl_cost", l_),
                mime_type="text/csv",
            )
    if files:
        solara.Text(word("reproduce", l_))
        _pre(reproduce_command(form.value), "reproduce")


def _html_table(df: Any) -> str:
    return df.to_html(index=False, border=0, classes="data", escape=True, na_rep="–")


@solara.component
def TileMap(res: Any) -> None:
    """The eight regions as tiles coloured by the regional effect of a chosen metric."""
    l_, w_ = lang.value, wan.value
    metric, set_metric = solara.use_state(views.MAP_METRICS[0])
    has_effects = res.effects is not None and len(res.effects) > 0

    def draw() -> bytes | None:
        if not has_effects:
            return None
        values = views.regional_effects(res.effects, metric)
        date = f"{res.effects['date'].max():%Y-%m}"
        title = word("map", l_, metric=catalogue.label(metric, l_), date=date)  # type: ignore[arg-type]
        fig = views.tile_map(values, metric, title, lang=l_, wan=w_)
        buf = io.BytesIO()
        with _DRAWING:
            fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
        return buf.getvalue()

    png = solara.use_memo(draw, dependencies=[tuple(res.sources), metric, l_, w_])
    if png is None:
        return
    labels = {catalogue.label(m, l_): m for m in views.MAP_METRICS}  # type: ignore[arg-type]
    solara.Select(
        word("map_metric", l_),
        values=list(labels),
        value=catalogue.label(metric, l_),  # type: ignore[arg-type]
        on_value=lambda text: set_metric(labels.get(text, metric)),
        classes=["map-metric"],
    )
    solara.Image(png, classes=["tile-map"])


@solara.component
def Figures(folders: tuple[str, ...]) -> None:
    """The standard figures, drawn in the background in the page's language and units."""
    l_, w_ = lang.value, wan.value
    task = solara.lab.use_task(lambda: figure_pngs(folders, l_, w_), dependencies=[folders, l_, w_])
    solara.Markdown(f"### {word('figures', l_)}")
    if task.pending:
        solara.ProgressLinear(True)
    if task.error:
        solara.Error(f"{type(task.exception).__name__}: {task.exception}")
    if task.finished and task.value:
        for name, png in task.value.items():
            solara.Image(png, classes=[f"figure-{name}"], width="100%")


def _load_problem(folders: tuple[str, ...]) -> str:
    """Why result folders cannot be shown, or ``""``."""
    try:
        views.load(list(folders))
    except ScenarioError as exc:
        return str(exc)
    return ""


@solara.component
def SavedRuns() -> None:
    """Pick result folders on disk and view them side by side."""
    l_ = lang.value
    _ = outcome.value  # listed again after each run
    refresh, set_refresh = solara.use_state(0)
    found = solara.use_memo(
        lambda: [str(p) for p in views.result_folders(RESULTS_DIR)], dependencies=[outcome.value, refresh]
    )
    solara.Button(word("refresh", l_), on_click=lambda: set_refresh(refresh + 1), classes=["saved-refresh"])
    typed, set_typed = solara.use_state("")
    error, set_error = solara.use_state("")
    if found:
        solara.Text(word("saved_folders", l_, folder=RESULTS_DIR))
        for folder in found:

            def pick(on: bool, folder: str = folder) -> None:
                rest = tuple(f for f in saved_picked.value if f != folder)
                saved_picked.set((*rest, folder) if on else rest)

            with solara.Div(classes=["saved-folder"]):
                solara.Checkbox(label=Path(folder).name, value=folder in saved_picked.value, on_value=pick)
    else:
        solara.Info(word("saved_none", l_, folder=RESULTS_DIR))

    def add(path: str | None) -> None:
        set_typed(path or "")
        if not path:
            return
        try:
            views.load([path])
        except ScenarioError as exc:
            set_error(str(exc))
            return
        set_error("")
        if path not in saved_picked.value:
            saved_picked.set((*saved_picked.value, path))

    solara.InputText(word("saved_path", l_), value=typed, on_value=add, classes=["saved-path"])
    if error:
        solara.Error(error)
    picked = tuple(saved_picked.value)
    problem = solara.use_memo(lambda: _load_problem(picked) if picked else "", dependencies=[picked])
    if not picked:
        return
    if problem:
        solara.Error(problem)
        return
    with solara.Columns([1] * len(picked)):  # side by side, one column a folder
        for folder in picked:
            with solara.Column(classes=["saved-column"]):
                solara.Markdown(f"#### {Path(folder).name}")
                ResultView((folder,))


@solara.component
def Page() -> None:
    """The app."""
    l_ = lang.value
    solara.Style(CSS)
    solara.Title(word("title", l_))
    with solara.AppBar():
        solara.AppBarTitle(word("title", l_))
    with solara.Column(classes=["talentsim-app"], style={"padding": "8px 16px"}):
        with solara.Row(style={"align-items": "center"}):
            solara.ToggleButtonsSingle(value=lang, values=["en", "zh"], classes=["language"])
            solara.Switch(label=word("wan", l_), value=wan, classes=["wan-switch"])
        solara.Text(word("subtitle", l_))
        with solara.lab.Tabs():
            with solara.lab.Tab(word("tab_build", l_)):
                with solara.Columns([5, 7]):
                    with solara.Column():
                        ScenarioSettings()
                        solara.Markdown(f"### {word('measures', l_)}")
                        for entry in ENTRIES:
                            LeverCard(entry)
                    with solara.Column():
                        RunPanel()
                        res = outcome.value
                        if res is not None and res.status == "done" and not run_task.pending:
                            ResultView((res.folder,), run_files.value)
                        elif res is None and not run_task.pending:
                            solara.Info(word("no_results", l_))
            with solara.lab.Tab(word("tab_saved", l_)):
                SavedRuns()
