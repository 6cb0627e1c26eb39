"""The charts' memo: a chart drawn once is given back from ``outputs/.cache/charts/`` without
drawing, equal in every field, unless anything it depends on changed; a damaged entry is drawn
again, and a folder that cannot be written keeps nothing but fails no chart."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import matplotlib
import pytest

from jixiao import dependencies
from jixiao.outputs import read_sealed
from jixiao.writing import charts
from jixiao.writing.provenance import Figure, Html

LABELS = ["临时救助", "流浪乞讨救助"]
FIGURES = [Figure(289, "289人次", "临时救助"), Figure(153, "153人次", "流浪乞讨救助")]


def every_kind() -> dict[str, tuple]:
    """(function, args, kwargs) of each public chart function."""
    series = {"2018年": [Figure(300, "300户"), Figure(2.5, "约2.5户")], "2019年": [223, None]}
    return {
        "bar": (charts.bar, (LABELS, FIGURES), {"title": "救助", "ylabel": "人次", "alt": "a", "unit": "人次"}),
        "grouped_bar": (charts.grouped_bar, (["低保户", "特困户"], series), {"title": "t", "ylabel": "户", "alt": "a"}),
        "one_category": (charts.grouped_bar, (["低保户"], {"2018年": [3], "2019年": [4]}),
                         {"title": "t", "ylabel": "户", "alt": "a"}),
        "hbar": (charts.hbar, (LABELS, [289, 153.5]), {"title": "t", "xlabel": "人次", "alt": "a", "caption": "图"}),
        "grouped_hbar": (charts.grouped_hbar, (["低保户", "特困户"], series),
                         {"title": "t", "xlabel": "户", "alt": "a"}),
        "line": (charts.line, ([2018, 2019], series), {"title": "t", "ylabel": "户", "alt": "a", "fmt": "svg"}),
    }  # fmt: skip


@pytest.fixture
def draws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The project is ``tmp_path``; each image actually rendered is counted (its format)."""
    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    rendered: list[str] = []
    real = charts.render

    def counting(fig, fmt="png"):  # type: ignore[no-untyped-def]
        rendered.append(fmt)
        return real(fig, fmt)

    monkeypatch.setattr(charts, "render", counting)
    return rendered


def kept(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "outputs" / ".cache" / "charts").glob("*.json"))


def fields(chart: charts.Chart) -> tuple:
    """Every field, ``texts`` and ``series`` (not compared by ``==``) included."""
    return (chart.data, chart.mime, chart.alt, chart.caption, chart.width_in, chart.height_in, chart.texts,
            chart.series)  # fmt: skip


@pytest.mark.parametrize("kind", list(every_kind()))
def test_a_second_call_gives_the_same_chart_without_drawing(kind, draws, tmp_path):
    draw, args, kwargs = every_kind()[kind]
    first = draw(*args, **kwargs)
    assert len(draws) == 1 and len(kept(tmp_path)) == 1
    again = draw(*args, **kwargs)
    assert len(draws) == 1
    assert fields(again) == fields(first)
    assert [type(c) for t in again.texts for c in t.box] == [float] * 4 * len(first.texts)
    assert fields(draw.__wrapped__(*args, **kwargs)) == fields(first)  # what drawing it now gives
    assert len(first.texts) >= 3 and first.series[0][1] in ("#1f4e79", "#e8b25a", "#9db9d5")


def test_defaults_given_or_not_are_one_chart(draws):
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a", unit=None, caption=None, fmt="png")
    assert draws == ["png"]


@pytest.mark.parametrize(
    "change",
    [
        {"values": [289, 154]},
        {"labels": ["临时救助", "流浪救助"]},
        {"unit": "%"},
        {"caption": "图1"},
        {"title_in_image": True},
        {"alt": "b"},
        {"fmt": "svg"},
    ],
    ids=lambda c: next(iter(c)),
)
def test_a_changed_argument_draws_again(change, draws):
    call = {"labels": LABELS, "values": [289, 153], "title": "t", "ylabel": "人次", "alt": "a"}
    before = charts.bar(**call)
    after = charts.bar(**{**call, **change})
    assert len(draws) == 2
    assert fields(after) == fields(charts.bar.__wrapped__(**{**call, **change}))
    assert fields(after) != fields(before)


def test_a_figure_with_another_text_draws_again(draws):
    before = charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a", unit="人次")
    about = [FIGURES[0], Figure(153, "约153人次", "流浪乞讨救助")]
    after = charts.bar(LABELS, about, title="t", ylabel="人次", alt="a", unit="人次")
    assert len(draws) == 2
    assert {"289", "153"} <= {t.text for t in before.texts} and "约153" not in {t.text for t in before.texts}
    assert {"289", "约153"} <= {t.text for t in after.texts} and "153" not in {t.text for t in after.texts}
    again = charts.bar(LABELS, [FIGURES[0], Figure(153, "153人次", "别的标签")], title="t", ylabel="人次", alt="a",
                       unit="人次")  # fmt: skip
    assert len(draws) == 2 and fields(again) == fields(before)  # a figure's label is not drawn


def test_a_damaged_entry_is_drawn_again_and_replaced(draws, tmp_path):
    first = charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    (path,) = kept(tmp_path)
    data = bytearray(path.read_bytes())
    at = data.index(b'"data": "') + 200
    data[at] = ord("A") if data[at] != ord("A") else ord("B")  # one character of the image
    path.write_bytes(bytes(data))
    again = charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    assert len(draws) == 2 and fields(again) == fields(first)
    assert read_sealed(path)["chart"]["data"] == json.loads(path.read_text(encoding="utf-8"))["chart"]["data"]
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    assert len(draws) == 2  # the entry written again is used
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    assert fields(charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")) == fields(first)
    assert len(draws) == 3


def test_another_entry_under_the_key_is_not_taken(draws, tmp_path):
    """An entry copied to another chart's name (checksum intact) holds another key: drawn again."""
    one = charts.bar(LABELS, [1, 2], title="t", ylabel="人次", alt="a")
    (first,) = kept(tmp_path)
    two = charts.bar(LABELS, [3, 4], title="t", ylabel="人次", alt="a")
    (second,) = [p for p in kept(tmp_path) if p != first]
    second.write_bytes(first.read_bytes())
    assert fields(charts.bar(LABELS, [3, 4], title="t", ylabel="人次", alt="a")) == fields(two) != fields(one)
    assert len(draws) == 3


def test_other_code_font_or_settings_draw_again(draws, monkeypatch):
    call = (LABELS, FIGURES)
    charts.bar(*call, title="t", ylabel="人次", alt="a")
    real_code = dependencies.code_hash
    monkeypatch.setattr(dependencies, "code_hash", lambda: "0" * 64)
    charts.bar(*call, title="t", ylabel="人次", alt="a")
    assert len(draws) == 2
    monkeypatch.setattr(dependencies, "code_hash", real_code)  # back to this code: its entry is still kept
    charts.bar(*call, title="t", ylabel="人次", alt="a")
    assert len(draws) == 2
    real_hash = dependencies.file_hash
    monkeypatch.setattr(dependencies, "file_hash", lambda p: "1" * 64 if p == charts.font_path() else real_hash(p))
    charts.bar(*call, title="t", ylabel="人次", alt="a")
    assert len(draws) == 3
    monkeypatch.setattr(dependencies, "file_hash", real_hash)
    with matplotlib.rc_context({"hatch.color": "#FF0000"}):  # not one of the charts' own settings
        charts.bar(*call, title="t", ylabel="人次", alt="a")
    assert len(draws) == 4


def test_code_changed_on_disk_since_it_was_loaded_is_drawn_and_not_kept(draws, tmp_path, monkeypatch):
    monkeypatch.setitem(charts._LOADED, charts.__file__, (0, 0, 0))
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    assert draws == ["png", "png"] and kept(tmp_path) == []


def test_arguments_it_cannot_key_exactly_are_drawn_every_time(draws, tmp_path):
    caption = Html("<b>图</b>")  # a str subclass would come back as str
    assert charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a", caption=caption).caption is caption
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a", caption=caption)
    charts.line([2018, 2019], {2019: [1, 2]}, title="t", ylabel="户", alt="a")  # a series named by a number
    charts.line([2018, 2019], {2019: [1, 2]}, title="t", ylabel="户", alt="a")
    assert len(draws) == 4 and kept(tmp_path) == []


def test_an_unwritable_folder_still_gives_the_chart(draws, tmp_path):
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / ".cache").write_text("a file where the folder should be")
    first = charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    again = charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    assert len(draws) == 2 and fields(again) == fields(first) and first.size > 5000


def test_outside_a_project_nothing_is_kept(draws, tmp_path, monkeypatch):
    monkeypatch.delenv("JIXIAO_ROOT")
    monkeypatch.chdir(tmp_path)
    charts.bar(LABELS, FIGURES, title="t", ylabel="人次", alt="a")
    assert charts.memo_folder() is None and draws == ["png"] and not (tmp_path / "outputs").exists()


def test_the_memo_is_pruned_by_age_and_size(draws, tmp_path, monkeypatch):
    for n in range(3):
        charts.bar(LABELS, [n, 1], title="t", ylabel="人次", alt="a")
    oldest, old, recent = sorted(kept(tmp_path), key=lambda p: p.stat().st_mtime)
    now = time.time()
    os.utime(oldest, (now, now - (charts.MEMO_DAYS + 1) * 86400))  # not used for 31 days
    os.utime(old, (now, now - 3600))
    sizes = {p: p.stat().st_size for p in kept(tmp_path)}
    charts.bar(LABELS, [9, 1], title="t", ylabel="人次", alt="a")
    (newest,) = set(kept(tmp_path)) - set(sizes)
    assert set(kept(tmp_path)) == {old, recent, newest}
    monkeypatch.setattr(charts, "MEMO_BYTES", 2 * max(p.stat().st_size for p in kept(tmp_path)) + 100)
    charts.bar(LABELS, [8, 1], title="t", ylabel="人次", alt="a")  # written, then the least recently used go
    (latest,) = set(kept(tmp_path)) - {old, recent, newest}
    assert set(kept(tmp_path)) == {latest, newest}
    charts.bar(LABELS, [9, 1], title="t", ylabel="人次", alt="a")  # a use keeps an entry longest
    assert len(draws) == 5


def test_the_charts_use_of_a_figure_is_what_the_memo_keys():
    """A figure is kept by its value and text (``charts._value_key``): the chart module reads no
    other of its fields. One that does must key it too, then change this test."""
    import ast
    import dataclasses

    used = {n.attr for n in ast.walk(ast.parse(Path(charts.__file__).read_text(encoding="utf-8")))
            if isinstance(n, ast.Attribute)}  # fmt: skip
    of_a_figure = {f.name for f in dataclasses.fields(Figure)} | {
        name for name, v in vars(Figure).items() if isinstance(v, property)
    }
    assert sorted(used & of_a_figure) == ["text", "value"]
    assert charts._value_key(Figure(1, "约1户", "低保户", illustrative=True)) == ["figure", 1.0, "约1户"]
