"""Accessible SVG bar charts: the chart is decorative (aria-hidden) and the same numbers
are always in a table beside it, so nothing is conveyed by the picture alone."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass
class Bar:
    label: str
    value: float
    display: str = ""


def bar_chart_svg(bars: list[Bar], *, width: int = 320, bar_height: int = 22, max_value: float | None = None) -> str:
    if not bars:
        return ""
    top = max_value if max_value is not None else max((b.value for b in bars), default=0) or 1
    label_w = 120
    plot_w = width - label_w - 60
    height = len(bars) * (bar_height + 6) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="100%" role="presentation" aria-hidden="true" focusable="false">']
    for i, bar in enumerate(bars):
        y = 6 + i * (bar_height + 6)
        w = 0 if top <= 0 else max(0.0, min(1.0, bar.value / top)) * plot_w
        label = escape(bar.label[:18] + ("…" if len(bar.label) > 18 else ""))
        parts.append(f'<text x="0" y="{y + bar_height * 0.7:.1f}" class="chart-label">{label}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" class="chart-bar"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}" class="chart-value">'
                     f'{escape(bar.display or str(bar.value))}</text>')
    parts.append("</svg>")
    return "".join(parts)
