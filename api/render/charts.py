"""Charts for the public pages as pure functions from amounts to SVG text: horizontal bars, each
with its label and amount, drawn on the server, so a phone needs no script, font or network and
the same figures always give the same bytes.

The drawing is 320 units wide, the width of a 360-px phone screen less the page's margins; the
stylesheet scales it to the column on wider screens.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from ledger.kernel.money import format_fen

WIDTH = 320
FONT = 15  # user units; 1:1 with CSS px on a phone
LARGE_FONT = 24  # the villager's 大字: as large as the page's own text, on a phone
LABEL_LINE = 20  # the label and the amount sit on one line above their bar
BAR = 14
GAP = 12
PAD = 4
BAR_COLOUR = "#1f5f8b"  # dark enough for 7:1 against white, also in greyscale print
TEXT_COLOUR = "#111"
MIN_BAR = 2.0  # a bar of a tiny amount is still seen to exist
DEFAULT_LIMIT = 8  # more rows than this read as noise on a phone; the rest become "other"


@dataclass(frozen=True)
class Bar:
    label: str
    fen: int


def yuan(fen: int) -> str:
    """12345650 -> "123,456.50": grouped digits, so a glance gives the order of magnitude."""
    text = format_fen(fen)
    sign = "-" if text.startswith("-") else ""
    whole, cents = text.lstrip("-").split(".")
    return f"{sign}{int(whole):,}.{cents}"


def grouped(items: Iterable[tuple[str, int]], *, other: str,
            limit: int = DEFAULT_LIMIT) -> list[Bar]:
    """Sums by label, largest first (ties by label, so the order is stable); beyond `limit`
    rows, the smallest are summed into one row named `other`."""
    sums: dict[str, int] = {}
    for label, fen in items:
        sums[label] = sums.get(label, 0) + fen
    bars = sorted((Bar(label, fen) for label, fen in sums.items()),
                  key=lambda bar: (-bar.fen, bar.label))
    if len(bars) <= limit:
        return bars
    kept, rest = bars[:limit - 1], bars[limit - 1:]
    return [*kept, Bar(other, sum(bar.fen for bar in rest))]


def text_width(text: str, size: float = FONT) -> float:
    """An estimate of the drawn width: wide (CJK) characters take a full em, others about
    0.6 em. No font is measured, so the estimate errs on the wide side."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def fit(text: str, width: float, size: float = FONT) -> str:
    """The text, cut with an ellipsis where it would be wider than `width`."""
    if text_width(text, size) <= width:
        return text
    cut = text
    while cut and text_width(cut + "…", size) > width:
        cut = cut[:-1]
    return cut + "…"


def bar_chart(bars: Sequence[Bar], *, title: str, ident: str,
              amount: Callable[[int], str] = yuan, large: bool = False) -> str:
    """An SVG of one bar per row: the label left and the amount right on a line, the bar below,
    its length in proportion to the largest amount. `ident` makes the title's id unique on the
    page; `title` names the chart for screen readers (the labels and amounts are real text).
    `large` (大字): the text as large as the page's, the amount on a line of its own under the
    label, so that neither is cut short to share the chart's width."""
    top = max((bar.fen for bar in bars), default=0)
    font = LARGE_FONT if large else FONT
    label_line = LABEL_LINE - FONT + font
    lines = 2 if large else 1
    row = label_line * lines + BAR + GAP
    height = PAD * 2 + row * len(bars)
    title_id = f"{ident}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(ident)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" font-size="{font}" fill="{TEXT_COLOUR}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = PAD + index * row
        shown = amount(bar.fen)
        room = WIDTH if large else WIDTH - text_width(shown, font) - font
        label = fit(bar.label, room, font)
        # A negative sum (refunds larger than payments) is labelled but drawn as no bar.
        length = WIDTH * max(bar.fen, 0) / top if top > 0 else 0.0
        if bar.fen > 0:
            length = max(length, MIN_BAR)
        amount_y = y + font + (label_line if large else 0)
        parts.append(
            f'<text x="0" y="{y + font}">{escape(label)}</text>'
            f'<text x="{WIDTH}" y="{amount_y}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="0" y="{y + label_line * lines}" width="{length:.1f}" height="{BAR}" '
            f'fill="{BAR_COLOUR}"/>')
    parts.append("</svg>")
    return "".join(parts)
