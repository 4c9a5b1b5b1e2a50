"""Figures and the HTML report from a small saved comparison: what each plot draws, what the report
holds, and that a real browser renders it."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer

from talentsim import catalogue, plotting
from talentsim.cli import main
from talentsim.compare import COST_COLUMNS, compare
from talentsim.fonts import use_cjk_font
from talentsim.formatting import AxisFormatter
from talentsim.report import STANDARD_FIGURES, load_results, render_report, standard_figures
from talentsim.scenario import load_scenario

from .conftest import SMALL_SCALE

SCENARIOS = ("baseline.toml", "levers/funding.toml", "levers/talent_incentives.toml")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    from pathlib import Path

    root = Path(__file__).parents[1] / "scenarios"
    specs = [load_scenario(root / name).with_updates(scale=SMALL_SCALE, horizon__end="2024-09") for name in SCENARIOS]
    out = tmp_path_factory.mktemp("cmp") / "comparison"
    compare(specs[0], specs[1:], seed=1, replicates=2).save(out, figures=False)  # the tests draw their own
    return out


@pytest.fixture(scope="module")
def report_en(saved, tmp_path_factory):
    """The English report ``talentsim report`` writes of the saved comparison (its figures drawn once)."""
    out = tmp_path_factory.mktemp("report_en") / "report.html"
    assert main(["report", str(saved), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def results(saved):
    return load_results([saved])


def _lines(ax):
    return [ln for ln in ax.get_lines() if ln.get_label() and not ln.get_label().startswith("_")]


def test_outcome_panel_draws_a_line_and_a_band_per_scenario(results):
    fig, axes = plt.subplots(1, 2)
    out = plotting.plot_panel(
        results.timeseries, ["n_digital_talent", "high_level_share"], axes=list(axes), windows=[("2024-04", "2024-09")]
    )
    assert out is fig
    for ax in axes:
        assert len(_lines(ax)) == 3
        assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 3
        assert len(ax.patches) == 1  # the lever window
    assert axes[0].get_ylabel() == "people"
    plt.close(fig)


def test_forest_draws_one_interval_per_scenario(results):
    fig, ax = plt.subplots()
    assert plotting.plot_effect_forest(results.effects, "n_digital_talent", ax=ax) is fig
    assert sum(isinstance(c, ErrorbarContainer) for c in ax.containers) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["funding", "talent_incentives"]
    plt.close(fig)


def test_regions_scatter_one_set_per_scenario(results):
    fig, ax = plt.subplots()
    assert plotting.plot_regions(results.timeseries, ax=ax) is fig
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 3 and all(len(c.get_offsets()) == 8 for c in points)
    plt.close(fig)


@pytest.mark.parametrize(("by", "parts"), [("level", 8), ("field", 6)])
def test_structure_stacks_one_bar_per_scenario(results, by, parts):
    fig, ax = plt.subplots()
    assert plotting.plot_structure(results.timeseries, by, ax=ax) is fig
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == parts and all(len(b) == 3 for b in bars)
    plt.close(fig)


def test_pipeline_groups_flows_by_scenario(results):
    fig, ax = plt.subplots()
    assert plotting.plot_pipeline(results.timeseries, ax=ax) is fig
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == 3 and all(len(b) == len(plotting.PIPELINE_FLOWS) for b in bars)
    plt.close(fig)


def test_cost_effectiveness_one_point_per_scenario(results):
    fig, ax = plt.subplots()
    assert plotting.plot_cost_effectiveness(results.cost_effectiveness, ax=ax) is fig
    assert sum(isinstance(c, ErrorbarContainer) for c in ax.containers) == 2
    plt.close(fig)


def test_effects_over_time_line_and_band_per_scenario(results):
    fig, ax = plt.subplots()
    assert plotting.plot_effects_over_time(results.effects, "n_digital_talent", ax=ax) is fig
    assert len(_lines(ax)) == 2
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    plt.close(fig)


def test_a_scenario_keeps_its_colour_across_figures(results):
    figures = standard_figures(results)
    assert set(figures) == set(STANDARD_FIGURES)
    styles = plotting.scenario_styles(results.names)
    colour = styles["talent_incentives"]["color"]
    outcome_ax = figures["outcomes"].axes[0]
    line = next(ln for ln in outcome_ax.get_lines() if ln.get_label() == "talent_incentives")
    forest_ax = figures["effects_forest"].axes[0]
    bar = forest_ax.containers[1]  # funding first, talent_incentives second
    to_rgba = plt.matplotlib.colors.to_rgba
    assert to_rgba(line.get_color()) == to_rgba(colour)
    assert to_rgba(bar.lines[0].get_color()) == to_rgba(colour)
    for fig in figures.values():
        plt.close(fig)


def test_counts_in_wan_when_asked(results):
    fig = plotting.plot_panel(results.timeseries, ["n_digital_talent"], wan=True)
    label = fig.axes[0].get_ylabel()
    assert "万" in label or "wan" in label
    value = results.timeseries.query("metric == 'n_digital_talent' and region == 'all'")["value"].iloc[-1]
    assert fig.axes[0].yaxis.get_major_formatter()(value, 0) == f"{value / 1e4:,.0f}"
    plt.close(fig)


def test_report_has_every_section_and_figure_and_no_external_reference(results, report_en):
    page = report_en.read_text(encoding="utf-8")
    for section in ("question", "how-to-read", "scenarios", "headline", "effects", "figures", "provenance"):
        assert f'<section id="{section}">' in page
    for name in STANDARD_FIGURES:
        assert f'<figure id="fig-{name}"><img alt="{name}" src="data:image/png;base64,' in page
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page)
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page
    for name, digest in results.hashes.items():
        assert name in page and digest in page
    assert "funding" in page and "2024-04 to 2026-12" in page  # the levers table


def test_plot_and_report_commands(saved, report_en, tmp_path, capsys):
    assert main(["plot", str(saved), "--out", str(tmp_path / "figs"), "--format", "svg"]) == 0
    assert sorted(p.stem for p in (tmp_path / "figs").glob("*.svg")) == sorted(STANDARD_FIGURES)
    assert report_en.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # written by `talentsim report`
    assert main(["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.html")]) == 2
    assert "no such result folder" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _visible_text(page: str) -> str:
    """The text a reader sees: no tags, no embedded images, and not the scenario files.

    The scenario files and their key-by-key differences (collapsed ``<details>``) are shown as written,
    with their field names (``initial.certified_share``), by design.
    """
    page = re.sub(r"<details>.*?</details>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", page, flags=re.S)))


def _raw_identifiers(text: str, results) -> list[str]:
    columns = set(COST_COLUMNS) - {"scenario"}
    names = set(results.timeseries["metric"].unique()) | columns | {"n_high_level_talent"}
    return sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_in_a_real_browser(results, report_en, tmp_path, lang):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install Debian's chromium package")
        pytest.skip("chromium is not installed")
    page = tmp_path / "report.html"
    text = report_en.read_text(encoding="utf-8") if lang == "en" else render_report(results, lang=lang)
    assert not _raw_identifiers(_visible_text(text), results)
    page.write_text(text, encoding="utf-8")
    shot = tmp_path / "shot.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
        "--window-size=1280,2400",
        f"--screenshot={shot}",
    ]
    subprocess.run([browser, *flags, page.as_uri()], check=True, capture_output=True, timeout=120)
    image = plt.imread(shot)[..., :3]
    assert image.shape[0] == 2400 and image.shape[1] == 1280
    assert image.std() > 0.05  # not blank
    dark = (image.mean(axis=2) < 0.5).mean()
    assert 0.005 < dark < 0.6  # text and figures, not an empty or black page


def test_report_in_chinese_with_wan_from_the_command_line(saved, tmp_path, results, monkeypatch):
    import talentsim.report

    # the figures are checked elsewhere; here the text and tables, and what the commands ask figures for
    asked = []
    monkeypatch.setattr(talentsim.report, "standard_figures", lambda *args, **kwargs: asked.append(kwargs) or {})
    out = tmp_path / "zh.html"
    assert main(["report", str(saved), "--lang", "zh", "--wan", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    text = _visible_text(page)
    assert '<html lang="zh-CN">' in page
    for words in ("数字人才", "万人", "人数以万人为单位", "提高投入水平", "强化激励引导", "期末结果"):
        assert words in text, words
    assert "Counts are real people" not in text and "people" not in text
    assert not _raw_identifiers(text, results)
    # --wan converts the tables too: the digital-talent median is written in 万 with one decimal
    assert re.search(r"数字人才</td>\s*<td>万人</td>\s*<td>[^<]*</td>\s*<td>\d{1,4}(,\d{3})*\.\d \[", page)
    english = tmp_path / "en.html"
    assert main(["report", str(saved), "--wan", "--out", str(english)]) == 0
    text = _visible_text(english.read_text(encoding="utf-8"))
    assert "Counts are real people" not in text and "in 万" in text
    assert main(["plot", str(saved), "--lang", "zh", "--wan", "--out", str(tmp_path / "figs")]) == 0
    assert asked == [{"wan": True, "lang": "zh"}, {"wan": True, "lang": "en"}, {"wan": True, "lang": "zh"}]
    with pytest.raises(SystemExit) as info:
        main(["report", str(saved), "--lang", "fr"])
    assert info.value.code == 2


# --- figures in the reader's language (issue 14, items 5 and 6) -----------------------------------

RAW_NAME = re.compile(r"\b(n|new|cum|mean)_[a-z_]+|\b[a-z]+_(share|rate|mismatch|premium|ratio)\b")


def _texts(fig):
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(plt.matplotlib.text.Text) if t.get_text() and t.get_visible()]


def _assert_one_scale_per_axis(name, fig):
    """Tick labels of a count axis share one suffix (no "10 k" beside "5,000")."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_formatter(), AxisFormatter):
                continue
            labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text() not in ("", "0")]
            suffixes = {re.sub(r"^[-+−]?[\d,.]+", "", t) for t in labels}
            assert len(suffixes) <= 1, f"{name}: {labels}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_have_catalogue_titles_and_no_raw_metric_names(results, lang):
    figures = standard_figures(results, lang=lang)
    try:
        titles = [ax.get_title() for fig in figures.values() for ax in fig.axes if ax.get_title()]
        assert titles
        expected = catalogue.label("n_digital_talent", lang)
        assert expected in titles
        for name, fig in figures.items():
            names = results.names
            raw = [t for t in _texts(fig) if t not in names and RAW_NAME.search(t)]
            assert not raw, f"{name}: raw identifiers {raw}"
            _assert_one_scale_per_axis(name, fig)
        if lang == "zh":
            assert any("万" in t or "亿" in t for t in _texts(figures["outcomes"]))
    finally:
        for fig in figures.values():
            plt.close(fig)


def _overlaps(boxes):
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_region_labels_do_not_overlap(results, lang):
    fig = plotting.plot_regions(results.timeseries, lang=lang)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    names = [r for r in dict.fromkeys(results.timeseries["region"]) if r != "all"]
    regions = [catalogue.region_label(r, lang) for r in names]
    labels = [t for t in ax.texts if t.get_text() in regions]
    assert sorted(t.get_text() for t in labels) == sorted(regions)
    assert not _overlaps([t.get_window_extent(renderer) for t in labels])
    plt.close(fig)


def test_effects_over_time_shade_the_lever_window_clipped_to_the_horizon(results):
    fig = plotting.plot_effects_panel(results.effects, ["n_digital_talent"], windows=[("2024-04", "2026-12")])
    ax = fig.axes[0]
    assert len(ax.patches) == 1
    assert "lever window" in [t.get_text() for t in ax.get_legend().get_texts()]
    right = plt.matplotlib.dates.num2date(ax.patches[0].get_x() + ax.patches[0].get_width())
    assert right.strftime("%Y-%m") == "2024-09"  # the horizon, not the window's end
    plt.close(fig)


def test_one_replicate_promises_no_band(results):
    one = results.timeseries[results.timeseries["replicate"] == 0]
    fig = plotting.plot_panel(one, ["n_digital_talent"])
    ax = fig.axes[0]
    assert not any(isinstance(c, PolyCollection) for c in ax.collections)
    assert "10-90" not in ax.get_legend().get_title().get_text()
    plt.close(fig)
    median = results.effects["effect_median"]
    flat = results.effects.assign(effect_low=median, effect_high=median)
    fig = plotting.plot_effects_panel(flat, ["n_digital_talent"], interval="spread")
    assert not any(isinstance(c, PolyCollection) for c in fig.axes[0].collections)
    assert "10-90" not in fig.axes[0].get_legend().get_title().get_text()
    plt.close(fig)
    one = results.effects.assign(effect_mean_ci_low=float("nan"), effect_mean_ci_high=float("nan"))  # n = 1
    fig = plotting.plot_effects_panel(one, ["n_digital_talent"], level=0.95)
    assert not any(isinstance(c, PolyCollection) for c in fig.axes[0].collections)
    assert fig.axes[0].get_legend().get_title().get_text() == "mean effect (one replicate: no interval)"
    plt.close(fig)
    fig = plotting.plot_panel(results.timeseries, ["n_digital_talent"])
    assert fig.axes[0].get_legend().get_title().get_text() == "median, 10-90 % band"
    plt.close(fig)


def test_labels_at_one_point_are_placed_without_overlap():
    use_cjk_font()
    fig, ax = plt.subplots()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    texts = [ax.text(0.5, 0.5, name) for name in ("北京", "上海", "Rest of the East", "West", "Central", "东北")]
    plotting.place_labels(ax, texts)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not _overlaps([t.get_window_extent(renderer) for t in texts])
    plt.close(fig)


def test_cost_table_names_levers_in_the_readers_language(results):
    from talentsim.report import cost_rows

    cost = results.cost_effectiveness.assign(deadweight_by_lever="funding: 0.42; talent_incentives: 0.10")
    zh = cost_rows(cost, "zh")
    column = next(c for c in zh.columns if "本会发生" in c)
    assert zh[column].iloc[0] == "提高投入水平: 0.42；强化激励引导: 0.10"
    en = cost_rows(cost, "en")
    assert "Higher public funding: 0.42" in en.iloc[0, -1]
    without = results.cost_effectiveness.drop(columns=["deadweight_by_lever"], errors="ignore")
    assert len(cost_rows(without).columns) == 7  # no such column without the data (six, and the replicates)


def test_without_a_cjk_font_chinese_figures_are_written_quietly(monkeypatch):
    import io
    import warnings

    import talentsim.report

    monkeypatch.setattr(talentsim.report, "cjk_family", lambda: None)
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("数字人才")
        buf = io.BytesIO()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            talentsim.report._save(fig, buf, format="png", dpi=50)
    assert buf.getvalue().startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from font" in str(w.message)]


def _horizon_rows(effects, metric):
    rows = effects[(effects["metric"] == metric) & (effects["region"] == "all")]
    return rows[rows["date"] == rows["date"].max()].set_index("scenario")


def test_effect_figures_draw_the_mean_effect_and_its_confidence_interval(results):
    """The drawn intervals are effects.csv's ``effect_mean_ci_low/high`` (artist data, not pixels)."""
    effects, metric = results.effects, "n_digital_talent"
    table = _horizon_rows(effects, metric)
    assert (table["effect_mean_ci_low"] < table["effect_mean_ci_high"]).all()  # two replicates: real intervals

    fig, ax = plt.subplots()
    plotting.plot_effect_forest(effects, metric, ax=ax, level=results.level)
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    for name, bar in zip(["funding", "talent_incentives"], bars, strict=True):
        x = bar.lines[0].get_xdata()[0]
        (low, _), (high, _) = bar.lines[2][0].get_segments()[0]
        assert (x, low, high) == tuple(table.loc[name, ["effect_mean", "effect_mean_ci_low", "effect_mean_ci_high"]])
    assert results.level == 0.95 and [t.get_text() for t in ax.get_legend().get_texts()] == ["mean effect, 95 % CI"]
    plt.close(fig)

    fig = plotting.plot_effects_panel(effects, [metric], scenarios=["funding"], level=0.95)
    ax = fig.axes[0]
    assert ax.get_legend().get_title().get_text() == "mean effect, 95 % CI"
    rows = effects[(effects["metric"] == metric) & (effects["region"] == "all") & (effects["scenario"] == "funding")]
    rows = rows.sort_values("date")
    assert list(_lines(ax)[0].get_ydata()) == list(rows["effect_mean"])
    band = next(c for c in ax.collections if isinstance(c, PolyCollection)).get_paths()[0].vertices
    x = plt.matplotlib.dates.date2num(rows["date"])
    for xi, low, high in zip(x, rows["effect_mean_ci_low"], rows["effect_mean_ci_high"], strict=True):
        at = band[band[:, 0] == xi, 1]
        assert low in at and high in at
    plt.close(fig)

    fig = plotting.plot_forest_panel(effects, [metric], level=0.95)
    assert "mean effect, 95 % CI" in fig.get_suptitle()
    plt.close(fig)
    mean = effects["effect_mean"]  # equal in every replicate (a fixed cost): a zero-width interval is one
    fig = plotting.plot_effects_panel(effects.assign(effect_mean_ci_low=mean, effect_mean_ci_high=mean), [metric])
    assert fig.axes[0].get_legend().get_title().get_text() == "mean effect, confidence interval"  # level unknown
    plt.close(fig)
    # the replicates' spread is still there, labelled as spread
    fig, ax = plt.subplots()
    plotting.plot_effect_forest(effects, metric, ax=ax, interval="spread")
    bar = next(c for c in ax.containers if isinstance(c, ErrorbarContainer))
    (low, _), (high, _) = bar.lines[2][0].get_segments()[0]
    assert (low, high) == tuple(table.loc["funding", ["effect_low", "effect_high"]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["median, 10-90 % spread of replicates"]
    plt.close(fig)
