"""One builder of Apache ECharts options: pages hand it their figures, static/js/charts.js draws what it returns.

The options are plain JSON; `money: true` asks the script to format the value axis and the tooltip as roubles
(`1 234 567 ₽`), which JSON cannot carry as a function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BLUE, GREEN, ORANGE, RED = "#066fd1", "#2fb344", "#f76707", "#d63939"


@dataclass(frozen=True)
class Line:
    name: str
    data: Sequence[float | None]
    color: str = BLUE
    dashed: bool = False
    area: bool = False
    points: bool = True


def _value_axis() -> dict[str, Any]:
    return {"type": "value", "minInterval": 1}


def bar_option(
    *,
    categories: Sequence[str],
    values: Sequence[float],
    name: str,
    highlight: str | None = None,
    label_interval: int | None = None,
) -> dict[str, Any]:
    """One bar per category; the `highlight` category (today, say) in red."""
    data: list[Any] = [
        {"value": value, "itemStyle": {"color": RED}} if category == highlight else value
        for category, value in zip(categories, values, strict=True)
    ]
    x_axis: dict[str, Any] = {"type": "category", "data": list(categories)}
    if label_interval is not None:
        x_axis["axisLabel"] = {"interval": label_interval}
    return {
        "money": True,
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 8, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": x_axis,
        "yAxis": _value_axis(),
        "series": [{"name": str(name), "type": "bar", "data": data, "itemStyle": {"color": BLUE}}],
    }


def lines_option(*, categories: Sequence[str], lines: Sequence[Line]) -> dict[str, Any]:
    """Lines over the categories, with a legend (cumulative fact, plan, forecast)."""
    series = []
    for line in lines:
        item: dict[str, Any] = {"name": str(line.name), "type": "line", "data": list(line.data)}
        item["itemStyle"] = {"color": line.color}
        if line.dashed:
            item["lineStyle"] = {"type": "dashed"}
        if line.area:
            item["areaStyle"] = {"opacity": 0.1}
        if not line.points:
            item["symbol"] = "none"
        series.append(item)
    return {
        "money": True,
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": list(categories)},
        "yAxis": _value_axis(),
        "series": series,
    }


def stacked_bars_option(*, categories: Sequence[str], stacks: Sequence[tuple[str, Sequence[float]]]) -> dict[str, Any]:
    """Horizontal bars, one per category (a manager), stacked by the named parts (the stages)."""
    return {
        "money": True,
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": _value_axis(),
        "yAxis": {"type": "category", "data": list(categories), "inverse": True},
        "series": [{"name": str(name), "type": "bar", "stack": "total", "data": list(data)} for name, data in stacks],
    }


def bars_against_line_option(
    *, categories: Sequence[str], bars: tuple[str, Sequence[float]], line: tuple[str, Sequence[float]]
) -> dict[str, Any]:
    """One bar per category (a manager's fact) against a mark at his plan, with a legend."""
    return {
        "money": True,
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": list(categories), "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": _value_axis(),
        "series": [
            {"name": str(bars[0]), "type": "bar", "data": list(bars[1]), "itemStyle": {"color": GREEN}},
            # Each manager's own plan: a mark over his bar, not a line joining different people's plans.
            {
                "name": str(line[0]),
                "type": "scatter",
                "data": list(line[1]),
                "itemStyle": {"color": RED},
                "symbol": "rect",
                "symbolSize": [28, 4],
            },
        ],
    }


def funnel_option(
    *,
    categories: Sequence[str],
    values: Sequence[int],
    labels: Sequence[str],
    name: str,
    links: Sequence[str] | None = None,
    highlight: int | None = None,
) -> dict[str, Any]:
    """A funnel as horizontal bars in the given order (never re-sorted by value): each bar labelled with the text the
    server computed (`42 · 35.0 %`), the `highlight` bar in red; `links` makes a click on bar i open links[i]."""
    data: list[Any] = [
        {"value": value, "itemStyle": {"color": RED}} if index == highlight else value
        for index, value in enumerate(values)
    ]
    option: dict[str, Any] = {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 96, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": _value_axis(),
        "yAxis": {"type": "category", "data": list(categories), "inverse": True},
        "series": [
            {
                "name": str(name),
                "type": "bar",
                "data": data,
                "itemStyle": {"color": BLUE},
                "label": {"show": True, "position": "right"},
                "labels": list(labels),
            }
        ],
    }
    if links is not None:
        option["links"] = list(links)
    return option
