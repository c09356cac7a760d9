"""Paragraph styles of a Word document: basedOn chains and heading levels."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from reportkb.stages.ingest.ooxml import val

HEADING_RE = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)


class Styles:
    """Paragraph styles by id, with basedOn chains."""

    def __init__(self, document):
        self.by_id = {s.get(qn("w:styleId")): s for s in document.styles.element.iterchildren(qn("w:style"))}
        self.default = next((i for i, s in self.by_id.items() if s.get(qn("w:type")) == "paragraph"
                             and s.get(qn("w:default")) in ("1", "true", "on")), None)

    def chain(self, p) -> list:
        """The paragraph's style, then the styles it is based on (cycle-safe)."""
        style_id, chain = val(p, "w:pPr/w:pStyle") or self.default, []
        while style_id in self.by_id and self.by_id[style_id] not in chain:
            chain.append(self.by_id[style_id])
            style_id = val(chain[-1], "w:basedOn")
        return chain

    def heading_level(self, p) -> int | None:
        """1-based level from the heading style name or an outline level, direct or inherited."""
        for element in (p, *self.chain(p)):
            match = HEADING_RE.match(val(element, "w:name") or "")
            outline = val(element, "w:pPr/w:outlineLvl")
            if match:
                return int(match[1])
            if outline is not None:  # 0-based; 9 means body text
                return int(outline) + 1 if outline.isdigit() and int(outline) < 9 else None
        return None
