"""What every reader of sources/ shares: the error type and the size bounds."""

from __future__ import annotations

from reportkb.errors import SourceError

MAX_FILE_BYTES = 50 * 1024 * 1024  # .docx (images make them big); bounds memory and time
MAX_TEXT_BYTES = 5 * 1024 * 1024   # .txt: a report is 5-50 KB; 5 MB is a hundred reports or a wrong file


class IngestError(SourceError):
    """A SourceError that carries the Problem code to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
