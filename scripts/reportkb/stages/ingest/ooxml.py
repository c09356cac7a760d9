"""Small helpers for WordprocessingML elements shared by the Word readers."""

from __future__ import annotations

from docx.oxml.ns import qn

W_VAL = qn("w:val")


def val(element, path: str) -> str | None:
    """w:val of the element at a w:-prefixed path below element, or None."""
    found = None if element is None else element.find("/".join(map(qn, path.split("/"))))
    return None if found is None else found.get(W_VAL)


def int_val(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None
