"""The search page's query syntax in Python, written apart from search.js to check it."""

from __future__ import annotations

import re

from reportkb.text.fold import fold


def query_terms(query: str) -> list[str]:
    """The search page's query syntax, written apart from search.js to check it (in the
    browser tests and the search benchmark): space separates terms; "a phrase" in ASCII quotes is one term."""
    terms = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', fold(query)):
        term = m.group(1) if m.group(1) is not None else m.group(2)
        if term.strip() and term not in terms:
            terms.append(term)
    return terms
