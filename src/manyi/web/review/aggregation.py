"""How experts' totals become one score: mean or trimmed mean, and the spread flag.

Plain functions on decimals, no Django: the scheme's ``review`` section chooses the method.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Method = Literal["mean", "trimmed_mean"]
CENT = Decimal("0.01")


def mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(totals: Sequence[Decimal], method: Method, trim: int = 1) -> Decimal | None:
    """The application's score from its experts' totals; None without any total.

    ``trimmed_mean`` drops the ``trim`` highest and ``trim`` lowest totals when at least one
    total remains afterwards; with fewer totals it falls back to the plain mean.
    """
    if not totals:
        return None
    ordered = sorted(totals)
    if method == "trimmed_mean" and trim > 0 and len(ordered) > 2 * trim:
        ordered = ordered[trim : len(ordered) - trim]
    return mean(ordered)


def spread(totals: Sequence[Decimal]) -> Decimal | None:
    """Highest minus lowest total; None with fewer than two totals."""
    if len(totals) < 2:
        return None
    return max(totals) - min(totals)


def spread_flagged(totals: Sequence[Decimal], threshold: float) -> bool:
    """True when the experts disagree by more than ``threshold`` points."""
    gap = spread(totals)
    return gap is not None and gap > Decimal(str(threshold))
