"""Server-side SVG bar charts (no script in the page): each chart has a title and a text
description for screen readers, and the page shows the table it is drawn from."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, PAD, LABEL = 640, 220, 28, 34


def bars(title: str, series: list[tuple[str, int]], unit: str = "") -> Markup:
    """A bar per (label, value), scaled to the largest; values written above the bars."""
    top = max([v for _, v in series] + [1])
    n = max(len(series), 1)
    slot = (WIDTH - 2 * PAD) / n
    width = max(4.0, slot * 0.7)
    body = []
    for i, (label, value) in enumerate(series):
        h = (HEIGHT - PAD - LABEL) * value / top
        x = PAD + i * slot + (slot - width) / 2
        y = HEIGHT - LABEL - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
            f'fill="#0b5cad"><title>{escape(label)}：{value}{escape(unit)}</title></rect>'
            f'<text x="{x + width / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12">{value}</text>'
            f'<text x="{x + width / 2:.1f}" y="{HEIGHT - LABEL + 16}" text-anchor="middle" '
            f'font-size="12">{escape(label)}</text>')
    desc = "；".join(f"{label} {value}{unit}" for label, value in series) or "无数据"
    ident = "c" + str(abs(hash(title)) % 10**8)
    return Markup(
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f'<line x1="{PAD}" y1="{HEIGHT - LABEL}" x2="{WIDTH - PAD}" y2="{HEIGHT - LABEL}" '
        f'stroke="#555"/>{"".join(body)}</svg>')
