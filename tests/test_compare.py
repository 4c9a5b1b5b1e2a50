"""Paired comparisons: :mod:`talentsim.compare` and the ``talentsim compare`` command.

Scenarios are derived from the shipped files at scale 20000 with a nine-month horizon (the levers
start in 2024-04), so a run takes a fraction of a second.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import matplotlib.figure
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import talentsim
from talentsim.cli import main
from talentsim.compare import COST_COLUMNS, EFFECT_COLUMNS, Comparison, compare, cost_per_gain
from talentsim.formatting import format_value
from talentsim.plotting import plot_effect_forest, plot_effects_over_time, plot_forest_panel, plot_yearly_effects
from talentsim.report import STANDARD_FIGURES
from talentsim.scenario import default_scenario_path, load_scenario

SCENARIOS = default_scenario_path().parent
SHORT = 'scale = 20000.0\n[horizon]\nend = "2024-09"\n'
SEEDS = [4, 5, 6]
KEYS = ["replicate", "metric", "region", "date"]


def derive(directory: Path, source: Path, name: str, body: str = SHORT) -> Path:
    """A scenario file that takes ``source`` and changes what ``body`` says."""
    path = directory / name
    path.write_text(f"base = {json.dumps(str(source.resolve()))}\n{body}", encoding="utf-8")
    return path


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("scenarios")
    return {
        "baseline": derive(d, SCENARIOS / "baseline.toml", "baseline.toml"),
        "funding": derive(d, SCENARIOS / "levers" / "funding.toml", "funding.toml"),
        "skills_upgrade": derive(d, SCENARIOS / "levers" / "skills_upgrade.toml", "skills_upgrade.toml"),
        "longer": derive(d, SCENARIOS / "levers" / "funding.toml", "longer.toml", SHORT.replace("2024-09", "2024-12")),
    }


@pytest.fixture(scope="module")
def saved(files, tmp_path_factory) -> tuple[Comparison, Path]:
    comparison = compare(files["baseline"], [files["funding"], files["skills_upgrade"]], seed=SEEDS[0], replicates=3)
    out = tmp_path_factory.mktemp("compare") / "out"
    comparison.save(out)
    return comparison, out


@pytest.fixture
def quick_figures(monkeypatch):
    """Skip rendering figures in tests that do not look at them."""

    def savefig(self, fname, *args, **kwargs):
        Path(fname).write_bytes(b"\x89PNG stand-in")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)


def totals(table: pd.DataFrame) -> pd.DataFrame:
    return table[(table["field"] == "all") & (table["level"] == "all")]


def test_effects_table_columns_and_rows(saved):
    comparison, _out = saved
    effects = comparison.effects
    assert list(effects.columns) == list(EFFECT_COLUMNS)
    assert list(dict.fromkeys(effects["scenario"])) == ["funding", "skills_upgrade"]
    base = totals(comparison.baseline.timeseries)
    assert set(effects["metric"]) == set(base["metric"])
    assert set(effects["region"]) == {"all", *comparison.baseline.scenario.region_names}
    assert set(effects["date"]) == set(base["date"])
    # one row per scenario and (metric, region, date) total
    n_keys = len(base[["metric", "region", "date"]].drop_duplicates())
    assert len(effects) == 2 * n_keys
    assert not effects.duplicated(["scenario", "metric", "region", "date"]).any()
    ok = effects.dropna(subset=["effect_median"])
    assert (ok["effect_low"] <= ok["effect_median"]).all() and (ok["effect_median"] <= ok["effect_high"]).all()


def test_effect_is_the_paired_difference_of_the_saved_tables(saved):
    _comparison, out = saved
    effects = pd.read_csv(out / "effects.csv", parse_dates=["date"])
    base = totals(pd.read_parquet(out / "timeseries" / "baseline.parquet"))
    for name in ("funding", "skills_upgrade"):
        scen = totals(pd.read_parquet(out / "timeseries" / f"{name}.parquet"))
        pairs = base.merge(scen, on=KEYS, suffixes=("_b", "_s"), validate="one_to_one")
        assert len(pairs) == len(base) == len(scen)
        assert (pairs["seed_b"] == pairs["seed_s"]).all()  # common random numbers
        pairs["diff"] = pairs["value_s"] - pairs["value_b"]
        g = pairs.groupby(["metric", "region", "date"])
        expected = pd.DataFrame(
            {
                "baseline_median": g["value_b"].median(),
                "scenario_median": g["value_s"].median(),
                "effect_median": g["diff"].median(),
                "effect_low": g["diff"].quantile(0.1),
                "effect_high": g["diff"].quantile(0.9),
            }
        )
        got = effects[effects["scenario"] == name].set_index(["metric", "region", "date"])[list(expected.columns)]
        got = got.reindex(expected.index)
        assert not got.isna().all(axis=1).any()  # every expected row is in the file
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=1e-6, equal_nan=True)
    assert (effects["effect_high"] - effects["effect_low"]).abs().max() > 0  # not trivially zero


def test_all_runs_share_the_seeds(saved):
    comparison, out = saved
    assert comparison.seeds == SEEDS
    for path in (out / "timeseries").glob("*.parquet"):
        table = pd.read_parquet(path, columns=["replicate", "seed"]).drop_duplicates()
        assert set(zip(table["replicate"], table["seed"], strict=True)) == {(i, s) for i, s in enumerate(SEEDS)}


def test_no_effect_before_the_lever_starts(saved):
    """On common seeds a lever changes nothing before its first month (2024-04)."""
    effects = saved[0].effects
    before = effects[effects["date"] < pd.Timestamp("2024-04-01")]
    assert len(before) > 0
    values = before[["effect_median", "effect_low", "effect_high"]].to_numpy()
    assert np.all((values == 0) | np.isnan(values))


def test_baseline_against_itself_gives_zero_effects(files):
    comparison = compare(files["baseline"], [files["baseline"]], seed=2, replicates=2)
    assert comparison.names == ["baseline_2"]  # a repeated name is made unique
    effects = comparison.effects
    values = effects[["effect_median", "effect_low", "effect_high"]].to_numpy()
    assert np.all((values == 0) | np.isnan(values))
    both_nan = effects["baseline_median"].isna() & effects["scenario_median"].isna()
    assert effects.loc[~both_nan, "effect_median"].notna().all()
    cost = comparison.cost_effectiveness.iloc[0]
    assert cost["cost_to_horizon"] == 0 and cost["additional_digital_talent"] == 0
    assert math.isnan(cost["cost_per_additional_talent"]) and math.isnan(cost["cost_per_additional_high_level_talent"])


def test_cost_effectiveness(saved):
    _comparison, out = saved
    table = pd.read_csv(out / "cost_effectiveness.csv")
    assert list(table.columns) == list(COST_COLUMNS)
    assert list(table["scenario"]) == ["funding", "skills_upgrade"]
    numbers = table.drop(columns=["scenario", "horizon_end", "deadweight_by_lever"]).to_numpy(dtype=float)
    assert not np.isinf(numbers).any()
    assert (table["cost_to_horizon"] > 0).all()  # both levers spend from 2024-04
    for _, row in table.iterrows():  # the ratio of the means, the quantity its interval is of
        for gain, ratio in [
            ("additional_digital_talent_mean", "cost_per_additional_talent"),
            ("additional_high_level_talent_mean", "cost_per_additional_high_level_talent"),
        ]:
            if row[gain] > 0:
                assert row[ratio] == pytest.approx(row["cost_to_horizon_mean"] / row[gain], rel=1e-12)
            else:
                assert math.isnan(row[ratio])
    # cost and added talent from the saved tables at the last month
    base = totals(pd.read_parquet(out / "timeseries" / "baseline.parquet"))
    scen = totals(pd.read_parquet(out / "timeseries" / "funding.parquet"))
    last = base["date"].max()

    def end(table: pd.DataFrame, metric: str) -> pd.Series:
        rows = table[(table["date"] == last) & (table["region"] == "all") & (table["metric"] == metric)]
        return rows.set_index("replicate")["value"].sort_index()

    row = table.set_index("scenario").loc["funding"]
    cost = end(scen, "cum_policy_cost").median() - end(base, "cum_policy_cost").median()
    assert row["cost_to_horizon"] == pytest.approx(cost)
    assert row["additional_digital_talent"] == pytest.approx(
        (end(scen, "n_digital_talent") - end(base, "n_digital_talent")).median()
    )
    high = (end(scen, "n_digital_talent") * end(scen, "high_level_share")) - (
        end(base, "n_digital_talent") * end(base, "high_level_share")
    )
    assert row["additional_high_level_talent"] == pytest.approx(high.median())
    assert row["additional_high_level_talent_low"] == pytest.approx(high.quantile(0.1))
    assert row["horizon_end"] == f"{last:%Y-%m}"
    # deadweight: subsidised enrolments, 2024-04 on, that the baseline had too (seats bind: nearly all)
    window = (pd.to_datetime(base["date"]) >= "2024-04-01") & (base["region"] != "all")
    paid_b = base[window & (base["metric"] == "new_trainees_regular")].groupby("replicate")["value"].sum()
    window = (pd.to_datetime(scen["date"]) >= "2024-04-01") & (scen["region"] != "all")
    paid_s = scen[window & (scen["metric"] == "new_trainees_regular")].groupby("replicate")["value"].sum()
    assert row["deadweight_share"] == pytest.approx((np.minimum(paid_b, paid_s) / paid_s).median())
    assert 0.8 < row["deadweight_share"] <= 1.0
    assert row["deadweight_by_lever"] == f"funding: {row['deadweight_share']:.2f}"
    other = table.set_index("scenario").loc["skills_upgrade"]  # pays for seats it creates: no deadweight measure
    assert math.isnan(other["deadweight_share"]) and (
        pd.isna(other["deadweight_by_lever"]) or not other["deadweight_by_lever"]
    )


def test_deadweight_counts_only_the_levers_window_and_regions():
    from talentsim.compare import deadweight_shares
    from talentsim.scenario import validate_scenario

    data = load_scenario(SCENARIOS / "baseline.toml").model_dump(mode="python")
    data["policy"] = [{"type": "international_exchange", "start": "2024-02", "end": "2024-03", "regions": ["West"]}]
    spec = validate_scenario(data, "<dw>")
    dates = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"])

    def table(west: list[float], east: float) -> pd.DataFrame:
        rows = [
            {
                "replicate": 0,
                "date": d,
                "region": r,
                "field": "all",
                "level": "all",
                "metric": "new_returnees",
                "value": v,
            }
            for d, w in zip(dates, west, strict=True)
            for r, v in (("West", w), ("Beijing", east), ("all", w + east))
        ]
        return pd.DataFrame(rows)

    base = table([100.0, 40.0, 50.0, 100.0], 7.0)
    lever = table([100.0, 60.0, 40.0, 500.0], 99.0)  # outside the window and regions: ignored
    out = deadweight_shares(base, lever, spec)
    assert list(out["lever"]) == ["international_exchange"]
    assert out["paid_units"].iloc[0] == 100.0
    assert out["deadweight_share"].iloc[0] == pytest.approx(min(40.0 + 50.0, 100.0) / 100.0)  # window totals


@pytest.mark.parametrize(
    ("cost", "gain", "expected"),
    [
        (100.0, 4.0, 25.0),
        (0.0, 4.0, 0.0),
        (100.0, 0.0, math.nan),
        (100.0, -5.0, math.nan),
        (-100.0, 5.0, math.nan),
        (math.nan, 5.0, math.nan),
        (100.0, math.inf, math.nan),
    ],
)
def test_cost_per_gain_is_never_negative_or_infinite(cost, gain, expected):
    got = cost_per_gain(cost, gain)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_saved_without_figures_has_the_same_tables_and_no_figures(saved, tmp_path):
    comparison, out = saved
    bare = comparison.save(tmp_path / "bare", figures=False)
    names = {str(p.relative_to(bare)) for p in bare.rglob("*") if p.is_file()}
    assert names == {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.parent.name != "figures"}
    assert not (bare / "figures").exists()
    for table in ("effects.csv", "cost_effectiveness.csv"):
        assert (bare / table).read_bytes() == (out / table).read_bytes()
    readme = (bare / "README.md").read_text(encoding="utf-8")
    assert "No `figures/`" in readme and "`figures/`: the standard figures" not in readme
    assert "`figures/`: the standard figures" in (out / "README.md").read_text(encoding="utf-8")


def test_saved_folder_has_every_file(saved, files):
    _comparison, out = saved
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert names == {
        "effects.csv",
        "README.md",
        "cost_effectiveness.csv",
        "metadata.json",
        "timeseries/baseline.parquet",
        "timeseries/funding.parquet",
        "timeseries/skills_upgrade.parquet",
        *(f"figures/{name}.png" for name in STANDARD_FIGURES),
    }
    assert all((out / f).read_bytes().startswith(b"\x89PNG") for f in names if f.endswith(".png"))
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["seeds"] == SEEDS and meta["replicates"] == 3
    assert meta["talentsim_version"] == talentsim.__version__
    assert {"numpy", "scipy", "pandas", "mesa", "pyarrow"} <= set(meta["versions"])
    assert meta["baseline"]["hash"] == load_scenario(files["baseline"]).digest()
    assert [s["name"] for s in meta["scenarios"]] == ["funding", "skills_upgrade"]
    assert [s["hash"] for s in meta["scenarios"]] == [
        load_scenario(files["funding"]).digest(),
        load_scenario(files["skills_upgrade"]).digest(),
    ]
    table = pd.read_parquet(out / "timeseries" / "funding.parquet")
    assert list(table.columns) == [
        "scenario",
        "replicate",
        "seed",
        "date",
        "region",
        "field",
        "level",
        "metric",
        "value",
    ]
    assert set(table["scenario"]) == {"funding"}
    assert leftovers(out) == []


def test_yearly_effects_sum_flows_and_take_stocks_at_the_year_end(saved):
    comparison, _out = saved
    yearly = comparison.yearly_effects(["new_trained", "n_digital_talent"])
    assert set(yearly["year"]) == {2024} and set(yearly["months"]) == {9}
    ts = totals(comparison.results["funding"].timeseries)
    nat = ts[ts["region"] == "all"]
    trained = nat[nat["metric"] == "new_trained"].groupby("replicate")["value"].sum()
    row = yearly[(yearly["scenario"] == "funding") & (yearly["metric"] == "new_trained")].iloc[0]
    assert row["scenario_median"] == pytest.approx(trained.median())
    end = comparison.horizon_effects(["n_digital_talent"]).set_index("scenario")
    row = yearly[(yearly["scenario"] == "funding") & (yearly["metric"] == "n_digital_talent")].iloc[0]
    assert row["effect_median"] == pytest.approx(end.loc["funding", "effect_median"])


def test_results_on_other_seeds_are_refused(saved):
    comparison, _out = saved
    other = replace(comparison.results["funding"], seeds=[7, 8, 9])
    with pytest.raises(ValueError, match="seeds"):
        Comparison.from_results(comparison.baseline, [other])


def test_figures_draw_on_a_given_axes(saved):
    comparison, _out = saved
    yearly = comparison.yearly_effects(["new_trained"])
    for draw in (
        lambda ax: plot_effect_forest(comparison.effects, "n_digital_talent", ax=ax),
        lambda ax: plot_effects_over_time(comparison.effects, "cum_policy_cost", ax=ax),
        lambda ax: plot_yearly_effects(yearly, "new_trained", ax=ax),
    ):
        fig, ax = plt.subplots()
        assert draw(ax) is fig
        assert ax.get_title() and ax.get_xlabel() + ax.get_ylabel()
        plt.close(fig)
    fig, axes = plt.subplots(1, 4)
    assert plot_forest_panel(comparison.effects, axes=list(axes)) is fig
    plt.close(fig)


def test_cli_mismatched_horizon_exits_2_and_writes_nothing(files, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", str(files["baseline"]), str(files["funding"]), str(files["longer"]), "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert str(files["longer"]) in err and "horizon" in err and "2024-09" in err and "2024-12" in err
    assert "Traceback" not in err
    assert not out.exists() and leftovers(out) == []


def test_cli_missing_scenario_exits_2_and_writes_nothing(files, tmp_path, capsys):
    out = tmp_path / "out"
    missing = tmp_path / "nope.toml"
    assert main(["compare", str(files["baseline"]), str(missing), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "file not found" in err
    assert not out.exists() and leftovers(out) == []


@pytest.mark.usefixtures("quick_figures")
def test_cli_prints_the_table_and_writes_the_folder(files, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", str(files["baseline"]), str(files["funding"]), "--replicates", "2", "--seed", "3"]
    assert main([*argv, "--scale", "40000", "--out", str(out), "--xlsx"]) == 0
    printed = capsys.readouterr().out
    for word in ("funding", "n_digital_talent", "high_level_share", "regional_mismatch", "Cost per additional talent"):
        assert word in printed
    assert "seeds 3..4" in printed and "scale 40000" in printed
    assert f"results written to {out}" in printed
    assert (out / "effects.csv").exists() and (out / "cost_effectiveness.csv").exists()
    assert (out / "comparison.xlsx").read_bytes()[:2] == b"PK"  # a zip: the workbook
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["scale"] == 40000 and meta["seeds"] == [3, 4]


@pytest.mark.usefixtures("quick_figures")
def test_cli_default_folder(files, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["compare", str(files["baseline"]), str(files["funding"]), "--replicates", "1"]) == 0
    assert (tmp_path / "results" / "compare" / "effects.csv").exists()
    capsys.readouterr()


def test_workers_do_not_change_the_result(files):
    args = (files["baseline"], [files["funding"]])
    one = compare(*args, seed=8, replicates=2, workers=1)
    two = compare(*args, seed=8, replicates=2, workers=2)
    pd.testing.assert_frame_equal(one.effects, two.effects)
    pd.testing.assert_frame_equal(one.results["funding"].timeseries, two.results["funding"].timeseries)


def test_other_scale_is_refused(files):
    with pytest.raises(talentsim.ScenarioError, match="scale") as info:
        compare(files["baseline"], [load_scenario(files["funding"]).with_updates(scale=40000.0)], replicates=1)
    assert "funding" in str(info.value)


def test_effects_give_the_mean_beside_the_median_and_a_readme_explains_them(saved):
    _comparison, out = saved
    effects = pd.read_csv(out / "effects.csv", parse_dates=["date"])
    assert "effect_mean" in effects.columns
    base = totals(pd.read_parquet(out / "timeseries" / "baseline.parquet"))
    scen = totals(pd.read_parquet(out / "timeseries" / "funding.parquet"))
    pairs = base.merge(scen, on=KEYS, suffixes=("_b", "_s"))
    mean = (pairs["value_s"] - pairs["value_b"]).groupby([pairs["metric"], pairs["region"], pairs["date"]]).mean()
    got = effects[effects["scenario"] == "funding"].set_index(["metric", "region", "date"])["effect_mean"]
    np.testing.assert_allclose(got.reindex(mean.index).to_numpy(), mean.to_numpy(), rtol=1e-9, atol=1e-6)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "median of the differences is not the difference of the medians" in readme
    assert "effect_mean" in readme and "effect_median" in readme
    # the example quotes a row of effects.csv
    end = effects[(effects["metric"] == "n_digital_talent") & (effects["date"] == effects["date"].max())]
    gap = (end["effect_median"] - (end["scenario_median"] - end["baseline_median"])).abs()
    row = end.loc[gap.idxmax()]
    assert f"effect_median is {format_value(row['effect_median'], 'people', signed=True)}" in readme
    assert f"baseline_median {format_value(row['baseline_median'], 'people')}" in readme


@pytest.mark.parametrize(("lang", "wan"), [("en", False), ("zh", True)])
def test_workbook_holds_the_headline_tables_with_units_in_the_headers(saved, tmp_path, lang, wan):
    from openpyxl import load_workbook

    from talentsim.workbook import write_workbook

    comparison, _out = saved
    book = load_workbook(write_workbook(comparison, tmp_path / "comparison.xlsx", lang=lang, wan=wan))
    names = ["Effects at the horizon", "Cost-effectiveness", "Regional effects"]
    assert book.sheetnames == (names if lang == "en" else ["期末效应", "成本效益", "地区效应"])
    effects, cost, regional = (book[name] for name in book.sheetnames)
    header = [c.value for c in effects[1]]
    people = "万人" if wan else "people"
    talent = "数字人才" if lang == "zh" else "Digital talent"
    column = next(i for i, h in enumerate(header) if h.startswith(talent + ":") and people in h)
    expected = comparison.horizon_effects(["n_digital_talent"]).set_index("scenario")["effect_median"]
    got = {row[0].value: row[column].value for row in effects.iter_rows(min_row=2)}
    assert got == pytest.approx({k: v / (1e4 if wan else 1) for k, v in expected.items()})
    yuan = "元" if lang == "zh" else "(yuan)"
    assert any(yuan in h for h in (c.value for c in cost[1]))
    assert all("(" in h or "（" in h for h in header[2:])  # every number column names its unit
    rows = list(regional.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(comparison.names) * len(comparison.baseline.scenario.region_names)
    assert {r[1] for r in rows} >= ({"西部", "北京"} if lang == "zh" else {"West", "Beijing"})


# --- confidence (issue 13, item 1) ----------------------------------------------------------------


def test_effects_carry_the_t_interval_of_the_mean_from_the_saved_tables(saved):
    from scipy import stats

    _comparison, out = saved
    effects = pd.read_csv(out / "effects.csv", parse_dates=["date"])
    base = totals(pd.read_parquet(out / "timeseries" / "baseline.parquet"))
    scen = totals(pd.read_parquet(out / "timeseries" / "funding.parquet"))
    pairs = base.merge(scen, on=KEYS, suffixes=("_b", "_s"))
    end = pairs[(pairs["metric"] == "n_digital_talent") & (pairs["region"] == "all")]
    end = end[end["date"] == end["date"].max()]
    diff = (end["value_s"] - end["value_b"]).to_numpy()
    want = stats.t.interval(0.95, len(diff) - 1, loc=diff.mean(), scale=stats.sem(diff))
    row = effects[
        (effects["scenario"] == "funding")
        & (effects["metric"] == "n_digital_talent")
        & (effects["region"] == "all")
        & (effects["date"] == effects["date"].max())
    ].iloc[0]
    assert row["effect_mean_ci_low"] == pytest.approx(want[0]) and row["effect_mean_ci_high"] == pytest.approx(want[1])
    assert row["paired_replicates"] == len(SEEDS)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "effect_mean_ci_low" in readme and "95 % confidence interval of the mean" in readme
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["confidence_level"] == 0.95


def test_cost_per_talent_is_printed_only_where_the_gain_is_distinguishable(saved):
    comparison, _out = saved
    cost = comparison.cost_effectiveness.set_index("scenario")
    for level in (0.5, 0.95):
        at = comparison.with_level(level)
        table, printed = at.cost_effectiveness.set_index("scenario"), at.format_table()
        for name in at.names:
            r = table.loc[name]
            sure = r["additional_digital_talent_ci_low"] > 0 or r["additional_digital_talent_ci_high"] < 0
            assert bool(r["digital_talent_distinguishable"]) == bool(sure)
            line = next(ln for ln in printed.splitlines() if ln.startswith(name) and "digital talent:" in ln)
            cell = line.split("digital talent:")[1].split(";")[0]
            assert ("not distinguishable from 0" in cell) == (not sure)
        assert f"{100 * level:g} % confidence intervals" in printed
    # a lower level gives narrower intervals of the same mean
    low, high = comparison.with_level(0.5).cost_effectiveness, cost.reset_index()
    assert (low["additional_digital_talent_mean"] == high["additional_digital_talent_mean"]).all()
    assert (
        (low["additional_digital_talent_ci_high"] - low["additional_digital_talent_ci_low"])
        < (high["additional_digital_talent_ci_high"] - high["additional_digital_talent_ci_low"])
    ).all()
    with pytest.raises(ValueError, match="level"):
        comparison.with_level(1.2)


def test_cost_per_additional_talent_is_the_ratio_of_the_means_its_interval_is_of(saved):
    """Known paired costs and gains at the horizon: the point estimate is mean cost / mean gain."""
    comparison = saved[0]
    base = comparison.baseline.timeseries
    last = base["date"].max()
    costs, gains = [3e6, 3e6, 6e6], [1000.0, 2000.0, 9000.0]  # medians 3e6 / 2000, means 4e6 / 4000
    table = base.copy()
    for metric, add in (("cum_policy_cost", costs), ("n_digital_talent", gains)):
        for replicate, value in enumerate(add):
            rows = (
                (table["date"] == last)
                & (table["metric"] == metric)
                & (table["region"] == "all")
                & (table["field"] == "all")
                & (table["level"] == "all")
                & (table["replicate"] == replicate)
            )
            assert rows.sum() == 1
            table.loc[rows, "value"] += value
    scenario = replace(comparison.results["skills_upgrade"], timeseries=table)
    row = Comparison(comparison.baseline, {"skills_upgrade": scenario}).cost_effectiveness.iloc[0]
    assert row["cost_to_horizon_mean"] == pytest.approx(4e6) and row["additional_digital_talent_mean"] == 4000
    assert row["cost_per_additional_talent"] == pytest.approx(1000.0, rel=1e-12)  # not 3e6 / 2000 = 1500
    assert row["cost_per_additional_talent_ci_low"] <= 1000.0 <= row["cost_per_additional_talent_ci_high"]
    assert row["cost_to_horizon"] == pytest.approx(3e6) and row["additional_digital_talent"] == 2000  # medians


def test_workbook_regional_sheet_has_intervals_and_cost_sheet_deadweight(saved):
    from talentsim.workbook import headline_tables

    comparison, _out = saved
    _effects, cost, regional = headline_tables(comparison).values()
    west = regional[regional["region"] == "West"].set_index("scenario")
    expected = comparison.horizon_effects(["n_digital_talent"], region="West").set_index("scenario")
    for word, col in (
        ("effect, mean", "effect_mean"),
        ("mean effect, confidence interval low", "effect_mean_ci_low"),
        ("mean effect, confidence interval high", "effect_mean_ci_high"),
    ):
        header = f"Digital talent: {word} (people)"
        assert west[header].to_dict() == expected[col].to_dict()
    assert (west["paired replicates (count)"] == len(SEEDS)).all()

    table = comparison.cost_effectiveness.set_index("scenario")
    cost = cost.set_index("scenario")
    dead = cost["deadweight: share of paid units the baseline had too (share (0-1))"]
    assert dead["funding"] == table.loc["funding", "deadweight_share"] and 0.8 < dead["funding"] <= 1.0
    assert math.isnan(dead["skills_upgrade"])  # pays for seats it creates: no deadweight measure
    by_lever = cost["deadweight by lever (lever: share)"]
    assert by_lever["funding"] == f"Higher public funding: {table.loc['funding', 'deadweight_share']:.2f}"
    low = cost["cost per additional high-level talent, interval low (yuan a person)"]
    assert low.to_dict() == pytest.approx(table["cost_per_additional_high_level_talent_ci_low"].to_dict(), nan_ok=True)
