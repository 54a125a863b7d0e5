"""The one error the checker raises: the file cannot be read at all."""

from __future__ import annotations


class ReportReadError(ValueError):
    """The uploaded report cannot be read (empty, damaged, encrypted, too large …).

    The message is Chinese and meant for the person who uploaded the file.
    """
