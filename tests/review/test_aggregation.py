"""An application's score: mean or trimmed mean of the experts' totals; wide spreads flag."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from manyi.web.review.aggregation import aggregate, spread, spread_flagged


def test_the_mean_of_all_totals():
    assert aggregate([D("80"), D("85"), D("91")], "mean") == D("85.33")


def test_the_trimmed_mean_drops_the_highest_and_lowest():
    assert aggregate([D("60"), D("85"), D("86"), D("99")], "trimmed_mean", trim=1) == D("85.50")
    assert aggregate([D("60"), D("85"), D("99")], "trimmed_mean", trim=1) == D("85.00")


def test_too_few_totals_to_trim_fall_back_to_the_mean():
    assert aggregate([D("80"), D("90")], "trimmed_mean", trim=1) == D("85.00")
    assert aggregate([D("80"), D("90"), D("70")], "trimmed_mean", trim=2) == D("80.00")


def test_no_totals_no_score():
    assert aggregate([], "mean") is None
    assert spread([D("80")]) is None


@pytest.mark.parametrize(
    ("totals", "flagged"),
    [(["70", "85"], False), (["70", "85.01"], True), (["90"], False)],
)
def test_a_spread_above_the_threshold_is_flagged(totals, flagged):
    assert spread_flagged([D(t) for t in totals], 15) is flagged
