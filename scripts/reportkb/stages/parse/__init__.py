"""Parse: one cleaned report → Report (metadata, verbatim blocks, outline).

The outline is found with rules that do not depend on a particular report,
each kept in a small module and registered in one list:

* ``marks.STYLES`` — the numbering styles (一、 （一） 1. 1、 （1） ① 第一， 第一步，
  第一节 第一部分 一是 …) and how to read their numbers;
* ``split.START_RULES`` — what may open a line (Word heading styles,
  unnumbered short lines standing alone) before marks are looked for;
* ``ends.END_RULES`` — where a heading's words end when no 。 closes them
  (an interrupting mark, a space before the body, a body opener);
* ``items.keep_runs`` — run-in items (一是/二是) count only as part of a run;
* ``outline.Outline`` — depth from the order numbering styles open.

``meta`` reads title, year, period and unit. Lines are cut into blocks
without losing or changing a character.
"""

from reportkb.stages.parse.meta import derive_title
from reportkb.stages.parse.report import parse_report

__all__ = ["derive_title", "parse_report"]
