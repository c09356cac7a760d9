/* 自查清单, the rules: the draft checker's engine, window.kbChecker.check(text, spec).
 *
 * The same rules as scripts/reportkb/checker/ (rules.py, pairing.py), over the same spec
 * (data/checker.json, generated from scripts/data/*.yml and the corpus). Keep this file
 * in step with those; the tests compare the verdicts of both on the same drafts.
 * The page (checker.js) loads after it.
 */
(function () {
  "use strict";
  var LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

  function splitLines(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.split(LINE_BREAK);
  }

  // textnorm.fold, BMP only: the table holds every changed character but A-Z.
  function fold(text, table) {
    var out = new Array(text.length);
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      var code = text.charCodeAt(i);
      if (code >= 65 && code <= 90) out[i] = String.fromCharCode(code + 32);
      else if (code < 128) out[i] = c;
      else out[i] = table[c] || c;
    }
    return out.join("");
  }

  function hanCount(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 0x4e00 && code <= 0x9fff) n++;
    }
    return n;
  }

  function isHan(ch) {
    return ch >= "\u4e00" && ch <= "\u9fff";
  }

  function strip(text) {
    return text.replace(/^[ \t]+|[ \t]+$/g, "");
  }

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function count(text, term) {
    if (!term) return 0;
    var n = 0;
    var at = text.indexOf(term);
    while (at >= 0) {
      n++;
      at = text.indexOf(term, at + term.length);
    }
    return n;
  }

  function headingWords(line, folded, end, maxChars) {
    var rest = folded.slice(end);
    var cut = rest.length;
    ["。", ":"].forEach(function (stop) {
      var at = rest.indexOf(stop);
      if (at >= 0 && at < cut) cut = at;
    });
    cut = Math.min(cut, maxChars);
    return [line.slice(end, end + cut), rest.slice(0, cut)];
  }

  function structure(lines, folded, spec) {
    var levels = spec.heading_levels.map(function (p) { return new RegExp(p); });
    var headings = [];
    var first = null;
    for (var i = 0; i < folded.length; i++) {
      var f = folded[i];
      if (first === null && strip(f)) first = i;
      var indent = f.length - f.replace(/^[ \t]+/, "").length;
      var bodyF = f.slice(indent);
      var body = lines[i].slice(indent);
      for (var level = 0; level < levels.length; level++) {
        var m = levels[level].exec(bodyF);
        if (m) {
          var w = headingWords(body, bodyF, m.index + m[0].length, spec.heading_max_chars);
          headings.push({ line: i + 1, level: level, words: w[0], folded: w[1] });
          break;
        }
      }
    }
    var headingLines = {};
    headings.forEach(function (h) { headingLines[h.line] = true; });
    var title = null;
    if (first !== null && !headingLines[first + 1]) {
      var textF = strip(folded[first]);
      var cueFound = spec.title.cues.some(function (c) { return textF.indexOf(c) >= 0; });
      if (textF.length <= spec.title.max_chars && textF.indexOf("。") < 0 && cueFound) {
        title = { line: first + 1, text: strip(lines[first]) };
      }
    }
    var top = null;
    headings.forEach(function (h) { if (top === null || h.level < top) top = h.level; });
    var tops = headings.filter(function (h) { return h.level === top; });
    tops.forEach(function (h) {
      var role = spec.default_role;
      for (var r = 0; r < spec.roles.length; r++) {
        if (spec.roles[r].cues.some(function (c) { return h.folded.indexOf(c) >= 0; })) {
          role = spec.roles[r].name;
          break;
        }
      }
      h.role = role;
    });
    var parts = spec.parts.map(function (part) {
      var hit = null;
      for (var k = 0; k < tops.length; k++) {
        if (tops[k].role === part.role) { hit = tops[k]; break; }
      }
      return {
        label: part.label,
        role: part.role,
        found: hit !== null,
        line: hit ? hit.line : null,
        heading: hit ? hit.words : null
      };
    });
    return [{
      title: title,
      headings: headings.length,
      top_level: top,
      top_headings: tops.map(function (h) { return { line: h.line, heading: h.words, role: h.role }; }),
      parts: parts
    }, headings, top];
  }

  function themes(whole, spec) {
    return spec.themes.map(function (theme) {
      var score = 0;
      var terms = [];
      theme.keywords.forEach(function (kw) {
        var n = count(whole, kw[0]);
        if (n) {
          score += kw[1] * n;
          terms.push([kw[1] * n, kw[0], n]);
        }
      });
      terms.sort(function (a, b) { return b[0] - a[0] || cmp(a[1], b[1]); });
      return {
        name: theme.name,
        score: score,
        covered: score >= spec.theme_min_score,
        terms: terms.slice(0, 5).map(function (t) { return [t[1], t[2]]; })
      };
    });
  }

  function requirements(lines, folded, spec) {
    var limit = spec.matches_per_requirement;
    return spec.requirements.map(function (req) {
      var patterns = req.patterns.map(function (p) { return new RegExp(p); });
      var groups = req.all_of.map(function (g) { return g.map(function (p) { return new RegExp(p); }); });
      var matches = [];
      for (var i = 0; i < folded.length && matches.length < limit; i++) {
        for (var k = 0; k < patterns.length; k++) {
          var m = patterns[k].exec(folded[i]);
          if (m) {
            var f = folded[i];
            var all = groups.every(function (g) { return g.some(function (re) { return re.test(f); }); });
            if (all) matches.push({ line: i + 1, text: lines[i].slice(m.index, m.index + m[0].length) });
            break;
          }
        }
      }
      return {
        id: req.id,
        title: req.title,
        theme: req.theme,
        page: req.page,
        addressed: matches.length > 0,
        matches: matches,
        exemplars: matches.length ? [] : req.exemplars
      };
    });
  }

  function placeholders(lines, folded, spec) {
    var compiled = spec.placeholders.map(function (p) { return [p.label, new RegExp(p.pattern, "dg")]; });
    var total = 0;
    var items = [];
    for (var i = 0; i < folded.length; i++) {
      var f = folded[i];
      var taken = [];
      compiled.forEach(function (c) {
        var re = c[1];
        re.lastIndex = 0;
        var m;
        while ((m = re.exec(f)) !== null) {
          var span = m.length > 1 && m.indices[1] ? m.indices[1] : m.indices[0];
          var overlaps = taken.some(function (t) { return t[0] < span[1] && span[0] < t[1]; });
          if (!overlaps) taken.push([span[0], span[1], c[0]]);
        }
      });
      taken.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || cmp(a[2], b[2]); });
      taken.forEach(function (t) {
        total++;
        if (items.length < spec.max_items) {
          items.push({ line: i + 1, label: t[2], text: lines[i].slice(t[0], t[1]), sentence: sentence(lines[i], f, t[0], t[1]) });
        }
      });
    }
    return [total, items];
  }

  var SENTENCE_ENDS = ["。", "!", "?", ";"];
  var SENTENCE_CONTEXT = 24;

  function sentence(line, folded, start, end) {
    var left = 0;
    var right = folded.length;
    SENTENCE_ENDS.forEach(function (stop) {
      var at = start > 0 ? folded.lastIndexOf(stop, start - 1) : -1;
      if (at + 1 > left) left = at + 1;
      var after = folded.indexOf(stop, end);
      if (after >= 0 && after + 1 < right) right = after + 1;
    });
    left = Math.max(left, start - SENTENCE_CONTEXT);
    right = Math.min(right, end + SENTENCE_CONTEXT);
    while (left < start && " \t\u3000".indexOf(line.charAt(left)) >= 0) left++;
    return (left > 0 ? "……" : "") + line.slice(left, right) + (right < line.length ? "……" : "");
  }

  // ---- pairing (scripts/reportkb/checker/pairing.py)

  function sentenceEndBefore(text, end, start) {
    var best = -1;
    SENTENCE_ENDS.forEach(function (stop) {
      var at = end > start ? text.lastIndexOf(stop, end - 1) : -1;
      if (at >= start && at + 1 > best) best = at + 1;
    });
    return best;
  }

  function firstSentenceEnd(text) {
    var best = -1;
    SENTENCE_ENDS.forEach(function (stop) {
      var at = text.indexOf(stop);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    });
    return best >= 0 ? best + 1 : -1;
  }

  function pieces(folded, rule) {
    var re = new RegExp(rule.marker, "g");
    var markers = [];
    var expected = 0;
    var m;
    while ((m = re.exec(folded)) !== null) {
      var k = rule.numerals.indexOf(m[1] || m[2]);
      if (k === 0 || (k === expected && markers.length)) {
        markers.push([m.index, k]);
        expected = k + 1;
      }
    }
    if (!markers.length) {
      var cut = Math.max(firstSentenceEnd(folded), 0);
      return [[0, folded.length, folded.slice(0, cut) || folded]];
    }
    var out = [];
    var intro = "";
    for (var n = 0; n < markers.length; n++) {
      var start = markers[n][0];
      var end = n + 1 < markers.length ? markers[n + 1][0] : folded.length;
      if (n + 1 < markers.length && markers[n + 1][1] === 0) {
        var c = sentenceEndBefore(folded, end, start);
        if (c > start) end = c;
      }
      if (markers[n][1] === 0) {
        var before = n ? markers[n - 1][0] : 0;
        var introStart = Math.max(sentenceEndBefore(folded, start, before), before);
        intro = folded.slice(introStart, start);
      }
      out.push([start, end, intro]);
    }
    return out;
  }

  function pyStrip(text) {
    return text.replace(/^[ \t\u3000]+|[ \t\u3000]+$/g, "");
  }

  function excerpt(text, limit) {
    text = pyStrip(text);
    return text.length <= limit ? text : text.slice(0, limit) + "……";
  }

  function scoreItem(text, spec, rule) {
    var best = null;
    var bestScore = 0;
    var terms = [];
    spec.themes.forEach(function (theme) {
      var score = 0;
      theme.keywords.forEach(function (kw) {
        var n = count(text, kw[0]);
        if (n) {
          score += kw[1] * n;
          if (kw[1] >= rule.min_term_weight && terms.indexOf(kw[0]) < 0) terms.push(kw[0]);
        }
      });
      if (score > bestScore) { best = theme.name; bestScore = score; }
    });
    terms.sort(cmp);
    return [bestScore >= rule.min_theme_score ? best : null, terms];
  }

  function pairMatches(item, other, themeTerms) {
    if (item.kind === "cause" && item.theme === null) return true;
    var shared = item.terms.filter(function (t) { return other.terms.indexOf(t) >= 0; });
    if (item.theme === null) return shared.length > 0;
    return shared.some(function (t) { return themeTerms[item.theme][t]; });
  }

  function roleOf(h, spec) {
    for (var r = 0; r < spec.roles.length; r++) {
      if (spec.roles[r].cues.some(function (c) { return h.folded.indexOf(c) >= 0; })) return spec.roles[r].name;
    }
    return null;
  }

  function collect(lines, folded, headings, first, last, above, kind, spec, kinds, items) {
    var rule = spec.pairing;
    function hasCause(text) { return rule.cause_cues.some(function (c) { return text.indexOf(c) >= 0; }); }
    var subs = headings.filter(function (h) { return first < h.line && h.line <= last && h.level > above; });
    if (subs.length) {
      var level = Math.min.apply(null, subs.map(function (h) { return h.level; }));
      var starts = subs.filter(function (h) { return h.level === level; });
      starts.forEach(function (h, k) {
        var end = k + 1 < starts.length ? starts[k + 1].line - 1 : last;
        var role = roleOf(h, spec);
        var deeper = headings.some(function (g) { return h.line < g.line && g.line <= end && g.level > level; });
        var label = h.folded.length <= rule.role_label_max_chars;
        if (deeper && label && role !== null && Object.prototype.hasOwnProperty.call(kinds, role)) {
          collect(lines, folded, headings, h.line, end, level, kinds[role], spec, kinds, items);
          return;
        }
        var own = kind === "problem" && hasCause(h.folded) ? "cause" : kind;
        items.push({ kind: own, line: h.line, folded: folded.slice(h.line - 1, end).join("\n"),
                     text: excerpt(lines[h.line - 1], rule.excerpt_chars) });
      });
      return;
    }
    for (var i = first; i < last; i++) {
      var f = folded[i];
      if (!strip(f)) continue;
      pieces(f, rule).forEach(function (p) {
        var own = kind === "problem" && hasCause(p[2]) ? "cause" : kind;
        items.push({ kind: own, line: i + 1, folded: f.slice(p[0], p[1]), text: excerpt(lines[i].slice(p[0], p[1]), rule.excerpt_chars) });
      });
    }
  }

  function pairing(lines, folded, headings, top, spec) {
    var rule = spec.pairing;
    var kinds = {};
    kinds[rule.problem_role] = "problem";
    kinds[rule.cause_role] = "cause";
    kinds[rule.measure_role] = "measure";
    var tops = headings.filter(function (h) { return h.level === top; });
    var items = [];
    tops.forEach(function (t, n) {
      if (!Object.prototype.hasOwnProperty.call(kinds, t.role)) return;
      var last = n + 1 < tops.length ? tops[n + 1].line - 1 : lines.length;
      collect(lines, folded, headings, t.line, last, top, kinds[t.role], spec, kinds, items);
    });
    items.forEach(function (item) {
      var s = scoreItem(item.folded, spec, rule);
      item.theme = s[0];
      item.terms = s[1];
    });
    var themeTerms = {};
    spec.themes.forEach(function (t) {
      themeTerms[t.name] = {};
      t.keywords.forEach(function (kw) { if (kw[1] >= rule.min_term_weight) themeTerms[t.name][kw[0]] = true; });
    });
    var helps = {};
    rule.help.forEach(function (h) { helps[h.theme + "\u0000" + h.kind] = h; });
    var wanted = { problem: "measure", cause: "problem" };
    var found = { problems: [], causes: [], measures: [] };
    items.forEach(function (item) {
      var entry = { kind: item.kind, line: item.line, text: item.text, theme: item.theme, terms: item.terms,
                    matched_by: [], guides: [], exemplars: [] };
      if (wanted[item.kind]) {
        var seen = {};
        items.forEach(function (o) {
          if (o.kind === wanted[item.kind] && pairMatches(item, o, themeTerms)) seen[o.line] = true;
        });
        entry.matched_by = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
        if (!entry.matched_by.length) {
          var h = helps[(item.theme || "") + "\u0000" + item.kind] || helps["\u0000" + item.kind];
          if (h) { entry.guides = h.guides; entry.exemplars = h.exemplars; }
        }
      }
      found[item.kind + "s"].push(entry);
    });
    return {
      problems: found.problems,
      causes: found.causes,
      measures: found.measures,
      unmatched_problems: found.problems.filter(function (p) { return !p.matched_by.length; }).length,
      unmatched_causes: found.causes.filter(function (c) { return !c.matched_by.length; }).length
    };
  }

  function formulas(lines, folded, spec) {
    var excluded = {};
    spec.protected_forms.forEach(function (s) { excluded[s] = true; });
    spec.formulas.forEach(function (f) {
      f.allowed.forEach(function (s) { excluded[s] = true; });
      f.variants.forEach(function (s) { excluded[s] = true; });
    });
    var total = 0;
    var items = [];
    for (var i = 0; i < folded.length; i++) {
      var f = folded[i];
      var found = [];
      spec.formulas.forEach(function (formula) {
        var std = formula.standard;
        formula.variants.forEach(function (variant) {
          var at = f.indexOf(variant);
          while (at >= 0) {
            found.push([at, std, "variant", variant.length]);
            at = f.indexOf(variant, at + variant.length);
          }
        });
        var n = std.length;
        if (n < spec.near_miss_min_chars) return;
        var half = Math.floor(n / 2);
        var starts = {};
        var head = std.slice(0, half);
        var tail = std.slice(half);
        var at = f.indexOf(head);
        while (at >= 0) {
          starts[at] = true;
          at = f.indexOf(head, at + 1);
        }
        at = f.indexOf(tail);
        while (at >= 0) {
          starts[at - half] = true;
          at = f.indexOf(tail, at + 1);
        }
        Object.keys(starts).map(Number).sort(function (a, b) { return a - b; }).forEach(function (start) {
          if (start < 0 || start + n > f.length) return;
          var win = f.slice(start, start + n);
          var diff = [];
          for (var k = 0; k < n; k++) if (win.charAt(k) !== std.charAt(k)) diff.push(k);
          if (diff.length === 1 && isHan(win.charAt(diff[0])) && isHan(std.charAt(diff[0])) && !excluded[win]) {
            found.push([start, std, "near-miss", n]);
          }
        });
      });
      found.sort(function (a, b) { return a[0] - b[0] || cmp(a[1], b[1]); });
      found.forEach(function (x) {
        total++;
        if (items.length < spec.max_items) {
          items.push({ line: i + 1, text: lines[i].slice(x[0], x[0] + x[3]), standard: x[1], kind: x[2] });
        }
      });
    }
    return [total, items];
  }

  // Empty as check() sees it (no line with more than spaces and tabs once folded), stopping at the first sign of text.
  function isEmpty(text, spec) {
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (c === "\r" || c === "\n" || c === "\u2028" || c === "\u2029" || (i === 0 && c === "\ufeff")) continue;
      var f = fold(c, spec.fold);
      if (f !== " " && f !== "\t") return false;
    }
    return true;
  }

  function lengthFigures(stats, chars, verdict) {
    return { chars: chars, verdict: verdict, short_below: stats.short_below, long_above: stats.long_above,
             median: stats.median, reports: stats.reports };
  }

  function emptyVerdict(spec) {
    return {
      schema: spec.schema,
      lines: 0,
      structure: { title: null, headings: 0, top_level: null, top_headings: [], parts: [] },
      themes: [],
      requirements: [],
      pairing: { problems: [], causes: [], measures: [], unmatched_problems: 0, unmatched_causes: 0 },
      placeholders: { total: 0, items: [] },
      formulas: { total: 0, items: [] },
      length: lengthFigures(spec.length, 0, "empty"),
      gaps: ["empty-draft"],
      ok: false
    };
  }

  function check(text, spec) {
    var lines = splitLines(text);
    var folded = lines.map(function (line) { return fold(line, spec.fold); });
    var nonempty = folded.filter(function (f) { return strip(f) !== ""; }).length;
    if (!nonempty) return emptyVerdict(spec);
    var chars = hanCount(text);
    var s3 = structure(lines, folded, spec);
    var st = s3[0];
    var th = themes(folded.join("\n"), spec);
    var reqs = requirements(lines, folded, spec);
    var pr = pairing(lines, folded, s3[1], s3[2], spec);
    var ph = placeholders(lines, folded, spec);
    var fm = formulas(lines, folded, spec);
    var stats = spec.length;
    var lengthVerdict = chars < stats.short_below ? "short" : chars > stats.long_above ? "long" : "normal";
    var gaps = {};
    if (chars === 0) gaps["not-chinese"] = true;
    if (st.title === null) gaps["no-title"] = true;
    if (!st.parts.every(function (p) { return p.found; })) gaps["missing-part"] = true;
    if (!th.every(function (t) { return t.covered; })) gaps["missing-theme"] = true;
    if (!reqs.every(function (r) { return r.addressed; })) gaps["missing-requirement"] = true;
    if (pr.unmatched_problems) gaps["unmatched-problem"] = true;
    if (pr.unmatched_causes) gaps["unmatched-cause"] = true;
    if (ph[0]) gaps["placeholder"] = true;
    if (fm[0]) gaps["formula-variant"] = true;
    if (lengthVerdict === "short" || lengthVerdict === "long") gaps["length-" + lengthVerdict] = true;
    var gapList = spec.gap_codes.filter(function (g) { return gaps[g]; });
    return {
      schema: spec.schema,
      lines: nonempty,
      structure: st,
      themes: th,
      requirements: reqs,
      pairing: pr,
      placeholders: { total: ph[0], items: ph[1] },
      formulas: { total: fm[0], items: fm[1] },
      length: lengthFigures(stats, chars, lengthVerdict),
      gaps: gapList,
      ok: gapList.length === 0
    };
  }

  window.kbChecker = { check: check, fold: fold, splitLines: splitLines, isEmpty: isEmpty };
})();
