"""The campaign scheme (评价方案): every rule of a year's application form as one data file.

``load_scheme(year)`` returns the validated :class:`Scheme` of a campaign year (packaged or
from ``MANYI_SCHEME_DIR``); nothing here imports Django.
"""

from manyi.rules.loader import (
    SchemeError,
    available_years,
    clear_scheme_cache,
    load_scheme,
    load_scheme_file,
    newest_year,
    parse_scheme,
)
from manyi.rules.model import FormField, Material, Outline, Scheme

__all__ = [
    "FormField",
    "Material",
    "Outline",
    "Scheme",
    "SchemeError",
    "available_years",
    "clear_scheme_cache",
    "load_scheme",
    "load_scheme_file",
    "newest_year",
    "parse_scheme",
]
