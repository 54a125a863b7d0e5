"""The campaign scheme (评价方案): every rule of a year's application form as one data file.

``load_scheme(2025)`` returns the validated :class:`Scheme`; nothing here imports Django.
"""

from manyi.rules.loader import (
    SchemeError,
    available_years,
    load_scheme,
    load_scheme_file,
    parse_scheme,
)
from manyi.rules.model import FormField, FormProblem, Material, Outline, Scheme

__all__ = [
    "FormField",
    "FormProblem",
    "Material",
    "Outline",
    "Scheme",
    "SchemeError",
    "available_years",
    "load_scheme",
    "load_scheme_file",
    "parse_scheme",
]
