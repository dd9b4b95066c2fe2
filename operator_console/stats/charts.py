"""Charts drawn on the server as inline SVG: pure functions from counts to shapes.

A chart is a list of shapes in its own coordinates (the template draws them in an SVG
scaled to the page); its `label` sums it up for people who cannot see it, and the table
built beside it holds the same numbers. No JavaScript, nothing fetched from elsewhere.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from itertools import count

from django.utils.translation import gettext as _

# Okabe–Ito colours, told apart with the common colour-vision deficiencies; the light
# ones (orange, sky blue, yellow) are left out or darkened so that every colour keeps a
# contrast of at least 3:1 on white (WCAG 1.4.11). Stacked parts are also split by a
# white gap, so neighbours never rely on their colours alone. A dark violet joins them for
# an eighth series (the eighth registration method, VNeID).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C7A00", "#000000", "#767676",
           "#6A3D9A")
BAR = PALETTE[0]
GRID = "#DEE2E6"
AXIS = "#6C757D"
INK = "#212529"
FONT = 12
MAX_DAY_LABELS = 10
MAX_UNIT_BARS = 12
MAX_NAME = 60
MIN_SCALE = 0.85  # 12-unit text drawn no smaller than about 10 px


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID


@dataclass(frozen=True)
class Bar:
    """One bar (or stack of parts) with the tooltip that reads it out."""

    title: str
    rects: list[Rect]


@dataclass
class Chart:
    width: int
    height: int
    label: str
    bars: list[Bar]
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour)

    @property
    def min_width(self) -> int:
        """The narrowest the chart may be drawn, in CSS pixels, for its text to be legible."""
        return round(self.width * MIN_SCALE)


@dataclass(frozen=True)
class Plot:
    """The area inside the axes."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


def day_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def day_short(day: dt.date) -> str:
    return day.strftime("%d/%m")


def round_steps():
    """1, 2, 5, 10, 20, 50, 100…"""
    for magnitude in count():
        for first in (1, 2, 5):
            yield first * 10**magnitude


def axis_ticks(top: int, most_steps: int = 4) -> list[int]:
    """Whole round values from 0 to at least `top`, in at most `most_steps` steps."""
    step = next(s for s in round_steps() if math.ceil(top / s) <= most_steps)
    return [step * n for n in range(max(1, math.ceil(top / step)) + 1)]


def label_every(days: int, most: int = MAX_DAY_LABELS) -> int:
    """Label every n-th day so that at most `most` labels show."""
    return max(1, math.ceil(days / most))


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[:MAX_NAME - 1].rstrip() + "…"


def _stack(x: float, width: float, parts: list[tuple[int, str]], plot: Plot, unit: float
           ) -> list[Rect]:
    """The non-zero parts of one day piled from the axis up, a 1-unit white gap between."""
    rects, base = [], plot.bottom
    for value, colour in parts:
        if value:
            height = value * unit
            gap = 1 if rects and height > 2 else 0
            rects.append(Rect(x, round(base - height, 2), width, round(height - gap, 2), colour))
            base -= height
    return rects


def _day_title(day: dt.date, parts: list[tuple[str, int]]) -> str:
    total = sum(value for _label, value in parts)
    if len(parts) == 1:
        return f"{day_text(day)}: {total}"
    detail = ", ".join(f"{label} {value}" for label, value in parts if value)
    return f"{day_text(day)}: {total}" + (f" ({detail})" if detail else "")


def _y_axis(ticks: list[int], plot: Plot, unit: float) -> tuple[list[Line], list[Text]]:
    ys = [round(plot.bottom - tick * unit, 2) for tick in ticks]
    lines = [Line(plot.left, y, plot.right, y, AXIS if tick == 0 else GRID)
             for tick, y in zip(ticks, ys, strict=True)]
    texts = [Text(plot.left - 6, y + FONT / 3, str(tick), "end")
             for tick, y in zip(ticks, ys, strict=True)]
    return lines, texts


def _x_labels(days: list[dt.date], plot: Plot, slot: float) -> list[Text]:
    every = label_every(len(days))
    return [Text(round(plot.left + (n + 0.5) * slot, 2), plot.bottom + FONT + 6, day_short(day))
            for n, day in enumerate(days) if n % every == 0]


def _day_bars(days: list[dt.date], series: list[tuple[str, list[int]]], colours, plot: Plot,
              unit: float, slot: float) -> list[Bar]:
    width = round(max(slot * 0.7, 0.6), 2)
    names = [name for name, _values in series]
    bars = []
    for n, day in enumerate(days):
        counts = [values[n] for _name, values in series]
        x = round(plot.left + n * slot + (slot - width) / 2, 2)
        rects = _stack(x, width, list(zip(counts, colours, strict=True)), plot, unit)
        if rects:
            bars.append(Bar(_day_title(day, list(zip(names, counts, strict=True))), rects))
    return bars


def day_chart(days: list[dt.date], series: list[tuple[str, list[int]]], *, label: str,
              width: int = 480, height: int = 220) -> Chart:
    """A bar a day; with several series each bar is a stack of parts, one colour each."""
    colours = PALETTE[:len(series)] if len(series) > 1 else (BAR,)
    totals = [sum(day) for day in zip(*(values for _name, values in series), strict=True)]
    ticks = axis_ticks(max(totals, default=0))
    plot = Plot(left=44, top=FONT, right=width - 8, bottom=height - FONT - 12)
    unit, slot = plot.height / ticks[-1], plot.width / len(days)
    lines, texts = _y_axis(ticks, plot, unit)
    legend = [(name, colour) for (name, _v), colour in zip(series, colours, strict=True)]
    return Chart(width, height, label, _day_bars(days, series, colours, plot, unit, slot),
                 lines, texts + _x_labels(days, plot, slot), legend if len(series) > 1 else [])


def _top_units(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The busiest units, and the rest summed up in one last bar."""
    if len(items) <= MAX_UNIT_BARS:
        return items
    kept, rest = items[:MAX_UNIT_BARS - 1], items[MAX_UNIT_BARS - 1:]
    others = _("Các đơn vị khác (%(count)s đơn vị)") % {"count": len(rest)}
    return [*kept, (others, sum(value for _name, value in rest))]


def unit_chart(items: list[tuple[str, int]], *, label: str, width: int = 480) -> Chart:
    """A horizontal bar a unit, its name above it and its count at its end."""
    items = _top_units(items)
    row, bar_height, room_for_count = 2 * FONT + 22, 16, 48
    longest = max((value for _name, value in items), default=0) or 1
    unit = (width - room_for_count) / longest
    bars, texts = [], []
    for n, (name, value) in enumerate(items):
        y = n * row + FONT + 4
        length = round(max(value * unit, 1), 2)
        bars.append(Bar(f"{name}: {value}", [Rect(0, y + 6, length, bar_height, BAR)]))
        texts.append(Text(0, y, _short(name), "start"))
        texts.append(Text(length + 6, y + 6 + bar_height - 4, str(value), "start"))
    return Chart(width, max(len(items), 1) * row, label, bars, [], texts)


@dataclass(frozen=True)
class Table:
    """The numbers of a chart: a row header, then counts; `total` sums each column."""

    caption: str
    header: list[str]
    rows: list[tuple[str, list[int]]]
    total: list[int]


@dataclass(frozen=True)
class Figure:
    title: str
    chart: Chart | None
    table: Table
    wide: bool = False  # the table goes under the chart, not beside it


def _column_sums(rows: list[tuple[str, list[int]]], columns: int) -> list[int]:
    return [sum(values[n] for _name, values in rows) for n in range(columns)]


def unit_table(items: list[tuple[str, int]], *, caption: str) -> Table:
    rows = [(name, [value]) for name, value in items]
    return Table(caption, [_("Đơn vị"), _("Số tài khoản")], rows, _column_sums(rows, 1))


def day_table(days: list[dt.date], series: list[tuple[str, list[int]]], *, caption: str
              ) -> Table:
    """A row a day, a column a series and, with several series, one for their sum."""
    header = [_("Ngày"), *(name for name, _values in series)]
    columns = [values for _name, values in series]
    if len(series) > 1:
        header.append(_("Tổng"))
        columns.append([sum(day) for day in zip(*columns, strict=True)])
    rows = [(day_text(day), [column[n] for column in columns]) for n, day in enumerate(days)]
    return Table(caption, header, rows, _column_sums(rows, len(columns)))


def period_text(start: dt.date, end: dt.date) -> str:
    return _("từ %(start)s đến %(end)s") % {"start": day_text(start), "end": day_text(end)}


def unit_summary(items: list[tuple[str, int]], start: dt.date, end: dt.date) -> str:
    text = _("Biểu đồ thanh ngang: số tài khoản tạo tại quầy theo đơn vị, %(period)s.") % {
        "period": period_text(start, end)}
    if not items:
        return text + " " + _("Không có tài khoản nào.")
    total = sum(value for _name, value in items)
    return text + " " + _("Tổng %(total)s tài khoản; nhiều nhất: %(name)s, %(count)s.") % {
        "total": total, "name": items[0][0], "count": items[0][1]}


def day_summary(subject: str, days: list[dt.date],
                series: list[tuple[str, list[int]]]) -> str:
    """What a day chart shows: its subject, period, total, and the share of each series
    or the busiest day."""
    kind = _("Biểu đồ cột chồng") if len(series) > 1 else _("Biểu đồ cột")
    text = f"{kind}: {subject}, {period_text(days[0], days[-1])}."
    total = sum(sum(values) for _name, values in series)
    if len(series) > 1:
        parts = "; ".join(f"{name} {sum(values)}" for name, values in series)
        return text + " " + _("Tổng %(total)s: %(parts)s.") % {"total": total, "parts": parts}
    if not total:
        return text + " " + _("Không có tài khoản nào.")
    values = series[0][1]
    best = max(range(len(days)), key=values.__getitem__)
    return text + " " + _("Tổng %(total)s; ngày nhiều nhất %(day)s: %(count)s.") % {
        "total": total, "day": day_text(days[best]), "count": values[best]}
