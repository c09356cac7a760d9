"""Read source files (.txt, .docx) into :class:`RawDocument` objects.

The only package that knows about text encodings and python-docx. Pure: it
reads the file it is given and never writes, prints or logs; everything a
maintainer should know comes back as :class:`Problem` data.

- ``scan``: listing sources/ and reading each entry's bytes (links, sizes, formats);
- ``text``: decoding .txt bytes;
- ``docx`` (with ``package``, ``styles``, ``numbering``, ``ooxml``): reading Word files;
- ``decode``: one source's bytes into a RawDocument.
"""

from reportkb.stages.ingest.common import MAX_FILE_BYTES, MAX_TEXT_BYTES, IngestError
from reportkb.stages.ingest.decode import decode_source, read_source
from reportkb.stages.ingest.docx import read_docx, read_word
from reportkb.stages.ingest.scan import (
    SKIPPED_PREFIXES,
    SUPPORTED_SUFFIXES,
    SourceFile,
    list_sources,
    read_bytes,
    scan_sources,
)
from reportkb.stages.ingest.text import SURELY_GOOD_RE, decode_text

__all__ = [
    "MAX_FILE_BYTES", "MAX_TEXT_BYTES", "SKIPPED_PREFIXES", "SUPPORTED_SUFFIXES", "SURELY_GOOD_RE",
    "IngestError", "SourceFile", "decode_source", "decode_text", "list_sources", "read_bytes",
    "read_docx", "read_source", "read_word", "scan_sources",
]
