"""Small helpers for WordprocessingML elements shared by the Word readers."""

from __future__ import annotations

from functools import cache

from docx.oxml.ns import qn

W_VAL = qn("w:val")


def val(element, path: str) -> str | None:
    """w:val of the element at a w:-prefixed path below element, or None."""
    found = None if element is None else element.find(_clark(path))
    return None if found is None else found.get(W_VAL)


@cache
def _clark(path: str) -> str:
    """"w:pPr/w:pStyle" in lxml's {namespace}name form (paths are few and looked up per paragraph)."""
    return "/".join(map(qn, path.split("/")))


def int_val(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None
