"""Styles of a Word document: basedOn chains, heading levels and hidden text."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from reportkb.stages.ingest.ooxml import W_VAL, val

HEADING_RE = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)


OFF = ("0", "false", "off")
MAX_STYLE_DEPTH = 64  # basedOn links followed; Word's own chains are a handful


class Styles:
    """Styles by id (w:styles of styles.xml), with basedOn chains."""

    def __init__(self, root):
        self.by_id = {s.get(qn("w:styleId")): s for s in root.iterchildren(qn("w:style"))}
        self.default = next((i for i, s in self.by_id.items() if s.get(qn("w:type")) == "paragraph"
                             and s.get(qn("w:default")) in ("1", "true", "on")), None)
        self.hidden_by_default = _vanish(root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))
        self._hidden: dict[tuple, bool] = {}
        self._chains: dict[str | None, list] = {}  # looked up for every paragraph and run

    def chain(self, p) -> list:
        """The paragraph's style, then the styles it is based on (cycle-safe)."""
        return self._chain(val(p, "w:pPr/w:pStyle") or self.default)

    def _chain(self, style_id: str | None) -> list:
        key = style_id
        if key not in self._chains:
            chain: list = []
            while style_id in self.by_id and self.by_id[style_id] not in chain and len(chain) < MAX_STYLE_DEPTH:
                chain.append(self.by_id[style_id])
                style_id = val(chain[-1], "w:basedOn")
            self._chains[key] = chain
        return self._chains[key]

    def hidden(self, run, p, p_style: str | None = None) -> bool:
        """Whether Word hides the run's text (w:vanish): set on the run, its character style or the paragraph style.

        The nearest setting wins: direct formatting, then the character style
        and the styles it is based on, then the paragraph's style chain, then
        the document defaults. (Word treats w:vanish in styles as a toggle;
        no real document stacks it so that the difference shows.) p_style:
        the paragraph's w:pStyle when the caller has already looked it up.
        """
        direct = _vanish(run.find(qn("w:rPr")))
        if direct is not None:
            return direct
        key = (val(run, "w:rPr/w:rStyle"), p_style if p_style is not None else val(p, "w:pPr/w:pStyle"))
        if key not in self._hidden:
            found = (_vanish(s.find(qn("w:rPr"))) for s in (*self._chain(key[0]), *self.chain(p)))
            self._hidden[key] = next((f for f in found if f is not None), bool(self.hidden_by_default))
        return self._hidden[key]

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


def _vanish(rpr) -> bool | None:
    """True/False when a w:rPr sets w:vanish, None when it says nothing."""
    found = None if rpr is None else rpr.find(qn("w:vanish"))
    return None if found is None else found.get(W_VAL) not in OFF
