"""Practice report (附件1-4): DOCX templates per category, and a checker for DOCX and PDF.

The checker reads a report the way Word shows it (effective formatting resolved through the
style hierarchy, automatic numbering rendered) or, for a PDF, from the characters' fonts,
sizes and positions, and reports every deviation from the scheme's format rules and the
category's outline as findings with a stable code, a status (``fail``/``warn``), the rule's
provenance (the form's quote, or the system's advice and why), a location and a fix. A check
that cannot finish says so in a finding; only an unreadable file raises ReportReadError.

Pure Python: no Django. Every function takes the campaign's :class:`~manyi.rules.Scheme`.
The web app calls :func:`check_report` on upload and :func:`build_template` for the download;
:func:`render_report_pdf` makes a filled-in, compliant PDF (WeasyPrint) for demo data and
tests.
"""

from manyi.practice_report.api import check_report
from manyi.practice_report.errors import ReportReadError
from manyi.practice_report.findings import CharCount, Finding, Location, ReportCheck
from manyi.practice_report.sample_pdf import render_report_pdf
from manyi.practice_report.template import build_template, template_filename

__all__ = [
    "CharCount",
    "Finding",
    "Location",
    "ReportCheck",
    "ReportReadError",
    "build_template",
    "check_report",
    "render_report_pdf",
    "template_filename",
]
