"""The satisfaction measurement engine (no Django): survey import, quality records, PLS path
modelling of the GB/T 19038 model, the 0–100 index, bootstrap, importance–performance.

Typical use (what a background task runs), with the campaign's scheme::

    from manyi.measurement import analyse, load_codebook, QualityRules
    analysis = analyse("survey.xlsx", codebook=load_codebook("codebook.toml"),
                       rules=QualityRules.from_scheme(scheme), resamples=5000, seed=1)
    analysis.result.satisfaction_index()

or step by step: ``load_survey`` → ``validate`` → ``estimate`` → ``bootstrap`` → ``to_json``.
``recognise`` reads a 问卷星/腾讯问卷/金数据 export's layout; ``codebook_toml`` writes the
codebook it implies.
"""

from manyi.measurement.bootstrap import BootstrapResult, Interval, bootstrap
from manyi.measurement.codebook import Codebook, ItemSpec, load_codebook, suggest_codebook
from manyi.measurement.codebook_file import codebook_toml
from manyi.measurement.errors import (
    CodebookError,
    ConvergenceError,
    DataError,
    MeasurementError,
    ModelError,
    SurveyReadError,
)
from manyi.measurement.estimate import PlsResult, estimate
from manyi.measurement.exports import ColumnGuess, Layout, recognise, suggest_construct
from manyi.measurement.index import IndexValue
from manyi.measurement.ipa import (
    IpaResult,
    SegmentComparison,
    compare_segments,
    importance_performance,
)
from manyi.measurement.labels import BUILT_IN as BUILT_IN_LABELS
from manyi.measurement.labels import LabelSet
from manyi.measurement.model import (
    Construct,
    Model,
    default_model,
    load_model,
    packaged_model,
    parse_model,
)
from manyi.measurement.pipeline import Analysis, analyse
from manyi.measurement.quality import QualityReport, QualityRules, validate
from manyi.measurement.report import render_report_html, render_report_pdf
from manyi.measurement.respondents import (
    Finding,
    RespondentList,
    check_respondent_list,
    load_respondent_list,
)
from manyi.measurement.serialize import quality_json, to_json
from manyi.measurement.survey import Survey, Unused, load_survey
from manyi.measurement.workbook import quality_workbook

__all__ = [
    "BUILT_IN_LABELS",
    "Analysis",
    "BootstrapResult",
    "Codebook",
    "CodebookError",
    "ColumnGuess",
    "Construct",
    "ConvergenceError",
    "DataError",
    "Finding",
    "IndexValue",
    "Interval",
    "IpaResult",
    "ItemSpec",
    "LabelSet",
    "Layout",
    "MeasurementError",
    "Model",
    "ModelError",
    "PlsResult",
    "QualityReport",
    "QualityRules",
    "RespondentList",
    "SegmentComparison",
    "Survey",
    "SurveyReadError",
    "Unused",
    "analyse",
    "bootstrap",
    "check_respondent_list",
    "codebook_toml",
    "compare_segments",
    "default_model",
    "estimate",
    "importance_performance",
    "load_codebook",
    "load_model",
    "load_respondent_list",
    "load_survey",
    "packaged_model",
    "parse_model",
    "quality_json",
    "quality_workbook",
    "recognise",
    "render_report_html",
    "render_report_pdf",
    "suggest_codebook",
    "suggest_construct",
    "to_json",
    "validate",
]
