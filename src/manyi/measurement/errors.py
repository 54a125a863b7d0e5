"""Errors of the measurement engine: every one carries a message a person can act on."""

from __future__ import annotations


class MeasurementError(Exception):
    """Base class: the message is Chinese and says what is wrong and what to do."""


class SurveyReadError(MeasurementError):
    """The survey file (or respondent list) cannot be read as a table of answers."""


class CodebookError(MeasurementError):
    """The codebook is missing, malformed or does not fit the data."""


class ModelError(MeasurementError):
    """The path model is not usable (empty construct, cycle, unknown names …)."""


class DataError(MeasurementError):
    """The data cannot be estimated (missing values, zero variance, singular blocks …)."""


class ConvergenceError(MeasurementError):
    """The PLS iterations did not converge within the allowed number of iterations."""
