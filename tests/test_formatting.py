"""Numbers in tables and on axes: one scale per axis, 万/亿 in Chinese, 万 with --wan."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from talentsim.fonts import use_cjk_font
from talentsim.formatting import AxisFormatter, LogCountFormatter, format_value


def _ticks(values, unit, lang="en", wan=False):
    use_cjk_font()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [min(values), max(values)])
    ax.set_ylim(min(values), max(values))
    ax.yaxis.set_major_formatter(AxisFormatter(unit, lang, wan=wan))
    fig.canvas.draw()
    ticks = [(t.get_position()[1], t.get_text()) for t in ax.get_yticklabels() if t.get_text()]
    plt.close(fig)
    return ticks


def _tick_labels(values, unit, lang="en", wan=False):
    return [text for _loc, text in _ticks(values, unit, lang, wan)]


def test_an_axis_from_minus_ten_to_ten_thousand_uses_one_scale():
    labels = _tick_labels([-12_000, 12_000], "people")
    nonzero = [t for t in labels if t != "0"]
    assert nonzero and all(t.endswith(" k") for t in nonzero), labels
    assert "5,000" not in labels and "-5,000" not in labels


def test_an_axis_below_ten_thousand_has_no_suffix_and_separators():
    labels = _tick_labels([0, 8_000], "people")
    assert "2,000" in labels and not any(t.endswith("k") for t in labels)


def test_every_tick_label_reads_back_as_its_position():
    # ticks 2,500 apart in 万 need two decimals (0.25万), not one (0.2万)
    for loc, text in _ticks([-18_000, 1_000], "people", "zh"):
        assert float(text.removesuffix("万").replace(",", "")) * (1e4 if text != "0" else 1) == pytest.approx(loc)


def test_chinese_axes_count_in_wan_and_yi():
    assert all(t == "0" or t.endswith("万") for t in _tick_labels([0, 3_000_000], "people", "zh"))
    assert all(t == "0" or t.endswith("亿") for t in _tick_labels([0, 3e10], "yuan", "zh"))


def test_wan_axes_have_no_suffix():
    labels = _tick_labels([0, 3_000_000], "people", wan=True)
    assert "100" in labels and not any(t.endswith(("万", "k", "M")) for t in labels)


def test_log_axis_in_wan():
    assert LogCountFormatter("zh")(100.0) == "0.01"
    assert LogCountFormatter("en")(100_000.0) == "100,000"


@pytest.mark.parametrize(
    ("value", "unit", "lang", "wan", "signed", "expected"),
    [
        (5_412_000, "people", "en", False, False, "5,412,000"),
        (5_412_000, "people", "en", True, False, "541.2"),
        (5_412_000, "people", "zh", False, False, "541.2万"),
        (24_000, "people", "zh", False, True, "+2.4万"),
        (1.234e9, "yuan", "zh", False, False, "12.34亿"),
        (1.234e9, "yuan", "en", False, False, "1.234 bn"),
        (150_234.4, "yuan_year", "en", False, False, "150,234"),
        (0.012345, "share", "zh", False, True, "+0.0123"),
        (float("nan"), "people", "en", False, False, "–"),
        (-0.0, "people", "en", False, True, "0"),
    ],
)
def test_table_cells(value, unit, lang, wan, signed, expected):
    assert format_value(value, unit, lang, wan=wan, signed=signed) == expected
