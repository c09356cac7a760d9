"""What every reader of sources/ shares: the error type and the size bounds."""

from __future__ import annotations

from reportkb.errors import SourceError

MAX_FILE_BYTES = 50 * 1024 * 1024  # .docx (images make them big); bounds memory and time
# A .txt file's size, and the UTF-8 text read out of a .docx (counted while reading):
# a report is 5-50 KB; 5 MB is a hundred reports or a wrong file.
MAX_TEXT_BYTES = 5 * 1024 * 1024


class IngestError(SourceError):
    """A SourceError that carries the Problem code to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
