"""noise.yml: text that is not report text (web chrome, watermarks, ads), removed before parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportkb.config.schema import REQUIRED, Field, Validator, join_patterns, open_data_file

NOISE_FILE = (
    Field("head_block", dict, REQUIRED, "the block before the title is removed when one of its lines matches"),
    Field("line_rules", dict, {}, "single short lines removed anywhere"),
    Field("tail_markers", dict, REQUIRED, "a short line that matches is removed with everything after it"),
    Field("segment_rules", list, [], "noise glued to report text inside one line: only the matched span is removed"),
)
LINE_RULES = (
    Field("max_chars", int, 60, "longer lines are never taken by a line rule or as a tail marker"),
    Field("rules", list, REQUIRED, "pattern groups, each with its own reason"),
)
PATTERN_GROUP = (
    Field("reason", str, REQUIRED, "why the text is removed, shown in the removal report"),
    Field("patterns", list, REQUIRED, "Python regular expressions, searched in each line (simplified characters)"),
    Field("max_chars", int, None, "line rules only: the longest line this group removes (default: line_rules.max_chars)"),
    Field("head_only", bool, False, "segment rules only: applies before the first numbered heading line"),
)


@dataclass(frozen=True)
class PatternGroup:
    reason: str
    patterns: tuple[re.Pattern, ...]
    max_chars: int | None = None
    """Longest line this group removes (line rules only); None: line_rules.max_chars."""
    head_only: bool = False
    """Segment rules only: applies before the first numbered heading line."""
    joined: re.Pattern | None = field(init=False, repr=False, compare=False, default=None)
    """All the patterns as one alternation (one pass over a line instead of one a pattern), or None
    when they cannot be joined safely."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "joined", join_patterns(self.patterns))

    def search(self, text: str) -> bool:
        """Whether any of the patterns occurs in ``text``."""
        if self.joined is not None:
            return self.joined.search(text) is not None
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class NoiseRules:
    head_block: PatternGroup
    line_rules: tuple[PatternGroup, ...]
    line_max_chars: int
    tail_markers: PatternGroup
    segment_rules: tuple[PatternGroup, ...] = ()
    """Noise glued to report text inside one line: only the matched span is removed."""


def _pattern_group(v: Validator, raw: dict, key: str) -> PatternGroup:
    group = v.read(raw, PATTERN_GROUP, key)
    return PatternGroup(group["reason"], v.regexes(group["patterns"], f"{key}.patterns"), group["max_chars"],
                        group["head_only"])


def load_noise_rules(path: Path) -> NoiseRules:
    raw, v = open_data_file(path)
    top = v.read(raw, NOISE_FILE)
    head = _pattern_group(v, top["head_block"], "head_block")
    line = v.read(top["line_rules"], LINE_RULES, "line_rules")
    rules = tuple(_pattern_group(v, item, k) for k, item in v.mappings(line["rules"], "line_rules.rules"))
    tail = _pattern_group(v, top["tail_markers"], "tail_markers")
    segments = tuple(_pattern_group(v, item, k) for k, item in v.mappings(top["segment_rules"], "segment_rules"))
    v.done()
    return NoiseRules(head, rules, line["max_chars"], tail, segments)
