"""How a mean of stars is shown, the same way on every page, feed and report.

A mean is first rounded to one decimal (half to even, on the decimal value: 4.25 → 4.2,
4.35 → 4.4); the full stars are drawn from that shown number (half up: 4.2 → ★★★★☆,
4.5 → ★★★★★). So the number and the stars next to it never disagree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = ["full_stars", "one_decimal", "star_row"]

TENTH = Decimal("0.1")


def one_decimal(value: float) -> Decimal:
    """The mean as shown: one decimal, half to even on the decimal value (4.25 → 4.2)."""
    return Decimal(repr(float(value))).quantize(TENTH, rounding=ROUND_HALF_EVEN)


def full_stars(value: float) -> int:
    """The full stars drawn for a mean (0–5), from its shown value: 4.25 → 4, 4.5 → 5."""
    shown = one_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(5, max(0, int(shown)))


def star_row(value: float) -> str:
    """``★★★★☆`` for a mean of 4.25; ``★★★★★`` for 4.5."""
    count = full_stars(value)
    return "★" * count + "☆" * (5 - count)
