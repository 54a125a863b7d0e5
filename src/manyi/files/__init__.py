"""Uploaded files inspected by content, not by extension, and checked against the scheme.

``inspect_file(data, filename)`` tells what a file really is (PDF pages, PPTX slides, MP4
duration from ``moov/mvhd``, image size, …) or raises :class:`FileRejected` with a one-sentence
Chinese reason; ``check_material_file(info, material, …)`` applies the scheme's limits for one
material. Nothing here imports Django.
"""

from manyi.files.checks import (
    DURATION_TOLERANCE_SECONDS,
    CheckContext,
    check_material_file,
)
from manyi.files.detect import kind_label
from manyi.files.inspect import ENCRYPTED_PDF, inspect_file, mislabel_reason
from manyi.files.model import FileInfo, FileRejected

__all__ = [
    "DURATION_TOLERANCE_SECONDS",
    "ENCRYPTED_PDF",
    "CheckContext",
    "FileInfo",
    "FileRejected",
    "check_material_file",
    "inspect_file",
    "kind_label",
    "mislabel_reason",
]
