/* 对比报告: two reports side by side, from data/corpus.json and data/compare.json.
 *
 * The same steps as scripts/reportkb/analysis/compare.py (kb.py compare);
 * keep the two in step, the tests compare their findings. Report text is
 * only ever set through textContent.
 */
(function () {
  "use strict";

  var SCRIPT_URL = document.currentScript ? document.currentScript.src : location.href;
  var ROOT = new URL("../", SCRIPT_URL).href;
  var KEEP = /[^0-9A-Za-z\u4e00-\u9fff]/g;
  var SENTENCE_END = /[。！？!?\n]/g;
  var EDGE = /^[ \t\r\n\u00a0\u3000\ufeff]+|[ \t\r\n\u00a0\u3000\ufeff]+$/g;

  function norm(text) { return text.normalize("NFKC").replace(KEEP, "").toLowerCase(); }

  function bigrams(text) {
    var out = new Set();
    if (text.length === 1) out.add(text);
    for (var i = 0; i + 1 < text.length; i++) out.add(text.slice(i, i + 2));
    return out;
  }

  function common(a, b) {
    var n = 0;
    a.forEach(function (g) { if (b.has(g)) n++; });
    return n;
  }

  function sentences(text) {
    var out = [], start = 0, m;
    SENTENCE_END.lastIndex = 0;
    while ((m = SENTENCE_END.exec(text)) !== null) {
      out.push(text.slice(start, m.index + 1));
      start = m.index + 1;
    }
    out.push(text.slice(start));
    return out.map(function (s) { return s.replace(EDGE, ""); }).filter(function (s) { return s; });
  }

  function parents(outline) {
    var out = [], stack = [];
    outline.forEach(function (s, i) {
      while (stack.length && outline[stack[stack.length - 1]].depth >= s.depth) stack.pop();
      out.push(stack.length ? stack[stack.length - 1] : null);
      stack.push(i);
    });
    return out;
  }

  function body(section) {
    var at = section.text.indexOf("\n");
    return at >= 0 ? section.text.slice(at + 1) : "";
  }

  function items(report, role) {
    var outline = report.outline, par = parents(outline), out = [];
    outline.forEach(function (s, i) {
      if (s.role !== role || (par[i] !== null && outline[par[i]].role === role)) return;
      var children = [];
      par.forEach(function (p, c) { if (p === i && outline[c].role === role) children.push(c); });
      children.forEach(function (c) {
        out.push({text: outline[c].mark + outline[c].heading, words: outline[c].heading, anchor: outline[c].anchor});
      });
      if (!children.length) {
        sentences(body(s)).forEach(function (t) { if (norm(t)) out.push({text: t, words: t, anchor: s.anchor}); });
      }
    });
    return out;
  }

  function matchItems(a, b, threshold) {
    var ga = a.map(function (x) { return bigrams(norm(x.words)); });
    var gb = b.map(function (x) { return bigrams(norm(x.words)); });
    var pairs = [];
    ga.forEach(function (x, i) {
      gb.forEach(function (y, j) {
        var score = x.size || y.size ? 2 * common(x, y) / (x.size + y.size) : 0;
        if (score >= threshold) pairs.push([-score, i, j]);
      });
    });
    pairs.sort(function (p, q) { return p[0] - q[0] || p[1] - q[1] || p[2] - q[2]; });
    var usedA = {}, usedB = {}, kept = [];
    pairs.forEach(function (p) {
      var i = p[1], j = p[2];
      if (usedA[i] || usedB[j]) return;
      usedA[i] = usedB[j] = true;
      kept.push([j, i, Math.floor(200 * common(ga[i], gb[j]) / (ga[i].size + gb[j].size))]);
    });
    kept.sort(function (p, q) { return p[0] - q[0] || p[1] - q[1]; });
    return {
      kept: kept.map(function (k) { return {a: a[k[1]], b: b[k[0]], score: k[2]}; }),
      gone: a.filter(function (x, i) { return !usedA[i]; }),
      "new": b.filter(function (x, j) { return !usedB[j]; })
    };
  }

  function sentencesOf(report) {
    var out = sentences(report.opening || "").map(function (t) { return [t, null]; });
    report.outline.forEach(function (s) { sentences(s.text).forEach(function (t) { out.push([t, s]); }); });
    return out;
  }

  function repeated(a, b, minChars) {
    var whereA = new Map(), found = [], seen = new Set(), total = 0;
    sentencesOf(a).forEach(function (p) {
      var key = norm(p[0]);
      if (key.length >= minChars && !whereA.has(key)) whereA.set(key, p[1] ? p[1].anchor : "");
    });
    sentencesOf(b).forEach(function (p) {
      var key = norm(p[0]), s = p[1];
      if (key.length < minChars) return;
      total += 1;
      if (whereA.has(key) && !seen.has(key)) {
        seen.add(key);
        found.push({text: p[0], a_anchor: whereA.get(key), b_anchor: s ? s.anchor : "", b_heading: s ? s.mark + s.heading : ""});
      }
    });
    return [found, total];
  }

  function outlineRows(a, b, other) {
    var rows = new Map();
    [["a", a], ["b", b]].forEach(function (side) {
      side[1].outline.forEach(function (s) {
        var theme = s.themes.length ? s.themes[0] : other, key = s.role + "\u0000" + theme;
        if (!rows.has(key)) rows.set(key, {role: s.role, theme: theme, a: [], b: []});
        rows.get(key)[side[0]].push({text: s.mark + s.heading, anchor: s.anchor, depth: s.depth});
      });
    });
    return Array.from(rows.values());
  }

  function label(report, reports) {
    var n = reports.filter(function (r) { return r.source === report.source; }).length;
    return n > 1 ? report.source + "#" + report.part : report.source;
  }

  function compare(a, b, settings, reports) {
    var rep = repeated(a, b, settings.min_chars);
    return {
      a: {id: a.id, title: a.title, label: label(a, reports)},
      b: {id: b.id, title: b.title, label: label(b, reports)},
      rows: outlineRows(a, b, settings.other),
      items: settings.item_roles.map(function (role) {
        var m = matchItems(items(a, role), items(b, role), settings.match);
        return {role: role, kept: m.kept, gone: m.gone, "new": m["new"]};
      }),
      repeated: rep[0], sentences: rep[1], min_chars: settings.min_chars
    };
  }

  // ---- page -----------------------------------------------------------

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function link(text, id, anchor) {
    var a = el("a", text);
    a.href = new URL("reports/" + id + "/", ROOT).href + (anchor ? "#" + encodeURIComponent(anchor) : "");
    return a;
  }

  function itemList(entries, id, cls) {
    var list = el("ul", null, cls);
    entries.forEach(function (x) { var li = el("li"); li.appendChild(link(x.text, id, x.anchor)); list.appendChild(li); });
    return list;
  }

  function render(result, found) {
    result.textContent = "";
    var rep = found.repeated;
    result.appendChild(el("h2", "逐字相同的句子"));
    result.appendChild(el("p", "后一篇共 " + found.sentences + " 句（去掉标点后不少于 " + found.min_chars + " 字），其中 " + rep.length +
      " 句与前一篇逐字相同" + (rep.length ? "：" : "。"), rep.length ? "kb-compare-summary kb-compare-gone" : "kb-compare-summary"));
    if (rep.length) {
      var list = el("ol", null, "kb-compare-repeated");
      rep.forEach(function (r) {
        var li = el("li");
        li.appendChild(document.createTextNode(r.text + " "));
        if (r.b_heading) li.appendChild(link("（" + r.b_heading + "）", found.b.id, r.b_anchor));
        list.appendChild(li);
      });
      result.appendChild(list);
    }
    found.items.forEach(function (group) {
      result.appendChild(el("h2", group.role));
      if (!group["new"].length && !group.gone.length && !group.kept.length) {
        result.appendChild(el("p", "两篇都没有写这一部分。", "kb-compare-muted"));
        return;
      }
      result.appendChild(el("p", "后一篇新写的 " + group["new"].length + " 条：", "kb-compare-new"));
      result.appendChild(itemList(group["new"], found.b.id));
      result.appendChild(el("p", "前一篇有、后一篇不再出现的 " + group.gone.length + " 条：", "kb-compare-gone"));
      result.appendChild(itemList(group.gone, found.a.id));
      if (group.kept.length) {
        result.appendChild(el("p", "两篇都写了的 " + group.kept.length + " 条（相似度）：", "kb-compare-muted"));
        var kept = el("ul");
        group.kept.forEach(function (k) {
          var li = el("li");
          li.appendChild(link(k.a.text, found.a.id, k.a.anchor));
          li.appendChild(document.createTextNode(" → "));
          li.appendChild(link(k.b.text, found.b.id, k.b.anchor));
          li.appendChild(document.createTextNode("（" + k.score + "%）"));
          kept.appendChild(li);
        });
        result.appendChild(kept);
      }
    });
    result.appendChild(el("h2", "提纲对照"));
    var grid = el("div", null, "kb-compare-grid");
    [["写法 · 主题"], ["A：" + found.a.title], ["B：" + found.b.title]].forEach(function (h) {
      grid.appendChild(el("div", h[0], "kb-compare-head"));
    });
    found.rows.forEach(function (row) {
      grid.appendChild(el("div", row.role + " · " + row.theme, "kb-compare-head"));
      [["a", found.a.id], ["b", found.b.id]].forEach(function (side) {
        var cell = el("div");
        if (!row[side[0]].length) cell.appendChild(el("span", "（无）", "kb-compare-muted"));
        row[side[0]].forEach(function (s) {
          var line = el("div");
          line.style.paddingLeft = Math.max(0, s.depth - 1) + "em";
          line.appendChild(link(s.text, side[1], s.anchor));
          cell.appendChild(line);
        });
        grid.appendChild(cell);
      });
    });
    result.appendChild(grid);
    result.setAttribute("data-state", "ready");
  }

  function start() {
    var result = document.getElementById("kb-compare-result");
    if (!result) return;
    var status = document.getElementById("kb-compare-status");
    var pick = {a: document.getElementById("kb-compare-a"), b: document.getElementById("kb-compare-b")};
    var get = function (path) {
      return fetch(new URL(path, ROOT).href).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
    };
    Promise.all([get("data/corpus.json"), get("data/compare.json")]).then(function (loaded) {
      var reports = loaded[0].reports, settings = loaded[1], byId = {};
      reports.forEach(function (r) { byId[r.id] = r; });
      window.kbCompare = function (a, b) { return compare(byId[a], byId[b], settings, reports); };
      ["a", "b"].forEach(function (side) {
        var seen = {};
        reports.forEach(function (r) {
          // Titles only (file names are not for staff); a repeated title gets its place among its namesakes.
          seen[r.title] = (seen[r.title] || 0) + 1;
          var text = seen[r.title] > 1 ? r.title + "（同名第 " + seen[r.title] + " 篇）" : r.title;
          pick[side].appendChild(el("option", text)).value = r.id;
        });
      });
      var update = function () {
        var a = byId[pick.a.value], b = byId[pick.b.value];
        history.replaceState(null, "", "?a=" + encodeURIComponent(a.id) + "&b=" + encodeURIComponent(b.id));
        status.textContent = a.id === b.id ? "请选择两篇不同的报告。" : "";
        if (a.id === b.id) { result.textContent = ""; return; }
        render(result, compare(a, b, settings, reports));
      };
      var pairs = document.getElementById("kb-compare-pairs");
      if (settings.pairs.length) pairs.appendChild(document.createTextNode("可对比："));
      settings.pairs.forEach(function (p, i) {
        if (!byId[p.a] || !byId[p.b]) return;
        var a = el("a", (i ? "；" : "") + byId[p.a].title + " ↔ " + byId[p.b].title + "（" + p.why + "）");
        a.href = "?a=" + encodeURIComponent(p.a) + "&b=" + encodeURIComponent(p.b);
        a.addEventListener("click", function (event) {
          event.preventDefault();
          pick.a.value = p.a; pick.b.value = p.b; update();
        });
        pairs.appendChild(a);
      });
      var query = new URLSearchParams(location.search), first = settings.pairs[0] || {};
      pick.a.value = byId[query.get("a")] ? query.get("a") : first.a || reports[0].id;
      pick.b.value = byId[query.get("b")] ? query.get("b") : first.b || reports[reports.length - 1].id;
      pick.a.addEventListener("change", update);
      pick.b.addEventListener("change", update);
      document.getElementById("kb-compare-swap").addEventListener("click", function () {
        var a = pick.a.value; pick.a.value = pick.b.value; pick.b.value = a; update();
      });
      update();
    }).catch(function () {
      status.textContent = "无法载入报告数据。请通过站点地址访问本页，而不是直接打开文件。";
      result.setAttribute("data-state", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
