"""The package's small exception family; turned into exit codes or
``PluginError`` only at the edges (kb.py, mkdocs_hooks.py)."""

from __future__ import annotations


class ReportError(Exception):
    """Base class for errors this package raises."""


class SourceError(ReportError):
    """A source file cannot be read as a report."""


class DataFileError(ReportError):
    """A YAML data file (taxonomy, requirements, formulas) is invalid."""


class WriteError(ReportError):
    """The output folder cannot be written (full disk, read-only, no permission)."""


class BusyError(ReportError):
    """Another generation holds the output folder for too long."""
