"""Geometry of the dashboard's bar charts, drawn as SVG by the template.

The server draws them so that they read without JavaScript; every bar carries its number as
text, and the same numbers are in a table under each chart.
"""

from dataclasses import dataclass

CHART_WIDTH = 600
BAR_AREA = 470
ROW_HEIGHT = 50
LABEL_Y = 17
BAR_Y = 24
BAR_HEIGHT = 16


@dataclass
class Bar:
    label: str
    value_text: str
    y: int
    label_y: int
    bar_y: int
    width: int
    value_x: int


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list


def value_text(share):
    if share.percent is None:
        return str(share.count)
    return f"{share.count} ({share.percent}%)"


def bar_chart(chart_id, title, shares):
    bars = []
    for index, share in enumerate(shares):
        top = index * ROW_HEIGHT
        fraction = share.count / share.denominator if share.denominator else 0
        width = round(BAR_AREA * fraction)
        if share.count and width < 2:
            width = 2  # a non-zero count stays visible
        bars.append(Bar(
            label=share.label, value_text=value_text(share), y=top, label_y=top + LABEL_Y,
            bar_y=top + BAR_Y, width=width, value_x=width + 8,
        ))
    description = "; ".join(f"{share.label}: {value_text(share)}" for share in shares)
    return BarChart(
        id=chart_id, title=title, description=description, width=CHART_WIDTH,
        height=max(ROW_HEIGHT, ROW_HEIGHT * len(shares)), bars=bars,
    )
