/* Exact full-text search of the knowledge base. Self-contained: no requests
 * outside this site, no libraries.
 *
 * Data: data/search.json (written by scripts/reportkb/search_index.py).
 * A record is one section's own text (heading + paragraphs directly under
 * it) or the opening of a report. A query is split on spaces into terms
 * ("a quoted phrase" is one term); a record matches when every term occurs
 * in it as an exact substring, after folding both sides the same way as
 * textnorm.fold: traditional → simplified, full-width → half-width, ASCII
 * lower case, Ⅹ/ⅹ → x. Folding keeps every offset, so highlights are drawn
 * on the original text.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../", script ? script.src : location.href);
  var DATA_URL = new URL("data/search.json", ROOT).href;
  var PAGE_URL = new URL("search/", ROOT).href;
  var CONTEXT = 36; // characters of context on each side of a hit
  var DROP_LIMIT = 8; // results in the header dropdown
  var PAGE_SIZE = 20; // results shown at once on the results page ("more" adds as many)
  var FACETS = ["theme", "role", "year", "unit"];
  var FACET_LABELS = { theme: "主题", role: "部分", year: "年份", unit: "单位" };
  var NO_YEAR = "未注明年份";
  var NO_UNIT = "未识别单位";
  var NO_ROLE = "开头（首个标题之前）";

  // ---------------------------------------------------------------- folding

  /** The same mapping as textnorm.fold, from the table shipped in search.json. */
  function makeFold(pairs) {
    var simplified = Object.create(null);
    for (var i = 0; i < pairs.from.length; i++) simplified[pairs.from[i]] = pairs.to[i];
    function width(c) {
      var code = c.charCodeAt(0);
      if (code === 0x3000 || code === 0x00a0) return " ";
      if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
      return c;
    }
    function lower(c) {
      var code = c.charCodeAt(0);
      return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
    }
    var map = Object.create(null);
    function add(c) {
      var v = lower(width(simplified[c] || c));
      if (v !== c) map[c] = v;
    }
    Object.keys(simplified).forEach(add);
    add("\u3000");
    add("\u00a0");
    for (var code = 0xff01; code <= 0xff5e; code++) add(String.fromCharCode(code));
    for (code = 65; code <= 90; code++) add(String.fromCharCode(code));
    var cls = Object.keys(map)
      .map(function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      })
      .join("");
    var re = new RegExp("[" + cls + "]", "g");
    function one(c) {
      return map[c];
    }
    return function (text) {
      return text.replace(re, one);
    };
  }

  // ------------------------------------------------------------ the index

  function Index(data) {
    this.fold = makeFold(data.fold);
    this.sep = data.sep;
    this.themes = data.themes;
    this.roles = data.roles;
    this.units = data.units;
    this.reports = data.reports; // [id, title, year, unit index]
    this.records = data.records; // [report, anchor, role, [themes], [paras]]
    this.paras = data.paras;
    var n = this.paras.length;
    var starts = new Int32Array(n + 1);
    var pos = this.sep.length;
    for (var i = 0; i < n; i++) {
      starts[i] = pos;
      pos += this.paras[i].length + this.sep.length;
    }
    starts[n] = pos;
    this.starts = starts;
    // One folded string of all distinct paragraphs, each between separators.
    this.text = this.fold(this.sep + this.paras.join(this.sep) + this.sep);
    // Paragraph → records that contain it (compressed rows).
    var counts = new Int32Array(n + 1);
    var r, k, ps;
    for (r = 0; r < this.records.length; r++) {
      ps = this.records[r][4];
      for (k = 0; k < ps.length; k++) counts[ps[k] + 1]++;
    }
    for (i = 0; i < n; i++) counts[i + 1] += counts[i];
    var fill = counts.slice(0, n);
    var rows = new Int32Array(counts[n]);
    for (r = 0; r < this.records.length; r++) {
      ps = this.records[r][4];
      for (k = 0; k < ps.length; k++) rows[fill[ps[k]]++] = r;
    }
    this.rowStart = counts;
    this.rows = rows;
  }

  /** Terms of a query, folded: spaces separate terms, "…" keeps a phrase. */
  Index.prototype.terms = function (query) {
    var folded = this.fold(query || "");
    var out = [];
    var re = /"([^"]*)"|(\S+)/g;
    var m;
    while ((m = re.exec(folded))) {
      var term = m[1] !== undefined ? m[1] : m[2];
      if (term.indexOf(this.sep) !== -1) continue;
      if (term.trim() && out.indexOf(term) === -1) out.push(term);
    }
    return out;
  };

  /** Distinct paragraphs containing a folded term. */
  Index.prototype.paragraphsWith = function (term) {
    var text = this.text;
    var starts = this.starts;
    var hits = [];
    var pos = text.indexOf(term, 0);
    while (pos !== -1) {
      var lo = 0;
      var hi = starts.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= pos) lo = mid;
        else hi = mid - 1;
      }
      hits.push(lo);
      pos = text.indexOf(term, starts[lo + 1]);
    }
    return hits;
  };

  /** Indexes of the records that contain every term, in corpus order. */
  Index.prototype.match = function (terms) {
    if (!terms.length) return [];
    var count = new Uint16Array(this.records.length);
    for (var t = 0; t < terms.length; t++) {
      var paras = this.paragraphsWith(terms[t]);
      for (var i = 0; i < paras.length; i++) {
        for (var k = this.rowStart[paras[i]]; k < this.rowStart[paras[i] + 1]; k++) {
          var r = this.rows[k];
          if (count[r] === t) count[r] = t + 1;
        }
      }
    }
    var out = [];
    for (var r2 = 0; r2 < count.length; r2++) if (count[r2] === terms.length) out.push(r2);
    return out;
  };

  /** Facet values of a record, as strings (for filters and counts). */
  Index.prototype.facets = function (r) {
    var rec = this.records[r];
    var report = this.reports[rec[0]];
    var self = this;
    return {
      theme: rec[3].map(function (i) {
        return self.themes[i];
      }),
      role: [rec[2] >= 0 ? this.roles[rec[2]] : NO_ROLE],
      year: [report[2] ? String(report[2]) : NO_YEAR],
      unit: [report[3] >= 0 ? this.units[report[3]] : NO_UNIT],
    };
  };

  /**
   * Run a query with filters ({theme, role, year, unit}: value or "").
   * Returns the matching records, the count and, per facet, the counts of
   * each value among the records that pass the *other* filters.
   */
  Index.prototype.search = function (query, filters) {
    filters = filters || {};
    var terms = this.terms(query);
    var matched = this.match(terms);
    var results = [];
    var counts = {};
    FACETS.forEach(function (f) {
      counts[f] = Object.create(null);
    });
    for (var i = 0; i < matched.length; i++) {
      var values = this.facets(matched[i]);
      var fails = [];
      for (var j = 0; j < FACETS.length; j++) {
        var f = FACETS[j];
        if (filters[f] && values[f].indexOf(filters[f]) === -1) fails.push(f);
      }
      if (!fails.length) results.push(matched[i]);
      for (j = 0; j < FACETS.length; j++) {
        f = FACETS[j];
        if (fails.length === 0 || (fails.length === 1 && fails[0] === f)) {
          values[f].forEach(function (v) {
            counts[f][v] = (counts[f][v] || 0) + 1;
          });
        }
      }
    }
    return { terms: terms, matched: matched.length, results: results, counts: counts };
  };

  // ------------------------------------------------------------ rendering

  function esc(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  Index.prototype.url = function (r) {
    var rec = this.records[r];
    var id = this.reports[rec[0]][0];
    return new URL("reports/" + id + "/", ROOT).href + (rec[1] ? "#" + encodeURIComponent(rec[1]) : "");
  };

  Index.prototype.heading = function (r) {
    var rec = this.records[r];
    return rec[1] ? this.paras[rec[4][0]] : "开头";
  };

  /** Keyword-in-context: one window per term not already shown, hits marked. */
  Index.prototype.snippets = function (r, terms) {
    var rec = this.records[r];
    var self = this;
    var windows = [];
    var covered = [];
    terms.forEach(function (term) {
      if (covered.indexOf(term) !== -1) return;
      for (var k = 0; k < rec[4].length; k++) {
        var p = rec[4][k];
        var folded = self.text.substr(self.starts[p], self.paras[p].length);
        var at = folded.indexOf(term);
        if (at === -1) continue;
        var from = Math.max(0, at - CONTEXT);
        var to = Math.min(folded.length, at + term.length + CONTEXT);
        var marks = [];
        terms.forEach(function (other) {
          var pos = folded.indexOf(other, from);
          var seen = false;
          while (pos !== -1 && pos < to) {
            marks.push([pos, Math.min(to, pos + other.length)]);
            seen = true;
            pos = folded.indexOf(other, pos + Math.max(1, other.length));
          }
          if (seen && covered.indexOf(other) === -1) covered.push(other);
        });
        windows.push(render(self.paras[p], from, to, marks));
        return;
      }
    });
    return windows;
  };

  function render(original, from, to, marks) {
    marks.sort(function (a, b) {
      return a[0] - b[0];
    });
    var out = from > 0 ? "…" : "";
    var pos = from;
    for (var i = 0; i < marks.length; i++) {
      var start = Math.max(marks[i][0], pos);
      var end = marks[i][1];
      if (end <= pos) continue;
      out += esc(original.slice(pos, start)) + "<mark>" + esc(original.slice(start, end)) + "</mark>";
      pos = end;
    }
    out += esc(original.slice(pos, to)) + (to < original.length ? "…" : "");
    return out;
  }

  Index.prototype.item = function (r, terms) {
    var rec = this.records[r];
    var report = this.reports[rec[0]];
    var values = this.facets(r);
    var meta = [values.year[0], values.unit[0], values.role[0]].concat(values.theme);
    return (
      '<li class="kb-hit" data-report="' + esc(report[0]) + '" data-anchor="' + esc(rec[1]) + '">' +
      '<a class="kb-hit__link" href="' + esc(this.url(r)) + '">' +
      '<span class="kb-hit__title">' + esc(report[1]) + "</span>" +
      '<span class="kb-hit__section">' + esc(this.heading(r)) + "</span></a>" +
      '<div class="kb-hit__meta">' + meta.map(esc).join(" · ") + "</div>" +
      this.snippets(r, terms)
        .map(function (s) {
          return '<p class="kb-hit__snippet">' + s + "</p>";
        })
        .join("") +
      "</li>"
    );
  };

  // ------------------------------------------------------------ loading

  var loading = null;
  function load() {
    if (!loading) {
      loading = fetch(DATA_URL)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + DATA_URL);
          return response.json();
        })
        .then(function (data) {
          return new Index(data);
        });
    }
    return loading;
  }

  var api = { load: load, lastMs: null, Index: Index };
  window.kbSearch = api;

  function pageLink(query, filters) {
    var params = new URLSearchParams();
    params.set("q", query);
    FACETS.forEach(function (f) {
      if (filters && filters[f]) params.set(f, filters[f]);
    });
    return PAGE_URL + "?" + params.toString();
  }

  // ------------------------------------------------------ header dropdown

  function initHeader() {
    var form = document.querySelector("[data-kb-search-form]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var drop = document.querySelector("[data-kb-search-drop]");
    var meta = drop.querySelector(".kb-drop__meta");
    var list = drop.querySelector(".kb-drop__list");
    var toggle = document.getElementById("__search");

    function open() {
      if (toggle && !toggle.checked) toggle.checked = true;
      load();
    }
    function run() {
      var query = input.value;
      load().then(function (index) {
        if (input.value !== query) return;
        var t0 = performance.now();
        var found = index.search(query);
        if (!found.terms.length) {
          meta.textContent = "输入关键词，按回车查看全部结果和筛选";
          list.innerHTML = "";
        } else {
          meta.innerHTML =
            (found.results.length ? "共 <strong>" + found.results.length + "</strong> 处章节含有" : "没有章节含有") +
            "“" + esc(query.trim()) + "”" +
            (found.results.length
              ? ' · <a class="kb-drop__all" href="' + esc(pageLink(query)) + '">查看全部结果、按主题筛选 →</a>'
              : "");
          list.innerHTML = found.results
            .slice(0, DROP_LIMIT)
            .map(function (r) {
              return index.item(r, found.terms);
            })
            .join("");
        }
        api.lastMs = performance.now() - t0;
      }, function (error) {
        meta.textContent = "无法读取搜索数据（" + error.message + "）。请确认站点已完整生成。";
      });
    }
    input.addEventListener("focus", open);
    input.addEventListener("input", function () {
      open();
      run();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        if (toggle) toggle.checked = false;
        input.blur();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) location.href = pageLink(input.value);
    });
    form.addEventListener("reset", function () {
      meta.textContent = "输入关键词，按回车查看全部结果和筛选";
      list.innerHTML = "";
      input.focus();
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) input.focus();
      });
    }
    // Material's keyboard shortcut: "/" or "s" opens the search.
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) return;
      if (event.key === "/" || event.key === "s") {
        event.preventDefault();
        open();
        input.focus();
      }
    });
  }

  // -------------------------------------------------------- results page

  function initPage() {
    var root = document.getElementById("kb-search");
    if (!root) return;
    var form = root.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var status = root.querySelector(".kb-search__status");
    var themes = root.querySelector(".kb-search__themes");
    var list = root.querySelector(".kb-search__results");
    var more = root.querySelector(".kb-search__more");
    var selects = {};
    FACETS.forEach(function (f) {
      selects[f] = form.querySelector("select[name=" + f + "]");
    });
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var wanted = {};
    FACETS.forEach(function (f) {
      wanted[f] = params.get(f) || "";
    });
    var shown = 0;
    var current = null;

    function filters() {
      var out = {};
      FACETS.forEach(function (f) {
        out[f] = selects[f].value || wanted[f] || "";
      });
      return out;
    }

    function fillSelect(f, index, counts, chosen) {
      var names =
        f === "theme" ? index.themes.slice() : f === "role" ? index.roles.concat([NO_ROLE]) : Object.keys(counts);
      Object.keys(counts).forEach(function (v) {
        if (names.indexOf(v) === -1) names.push(v);
      });
      if (chosen && names.indexOf(chosen) === -1) names.push(chosen);
      if (f === "year")
        names.sort(function (a, b) {
          return (a === NO_YEAR) - (b === NO_YEAR) || (a < b ? 1 : a > b ? -1 : 0);
        });
      else if (f === "unit") names.sort();
      var html = '<option value="">全部' + FACET_LABELS[f] + "</option>";
      names.forEach(function (v) {
        var n = counts[v] || 0;
        html +=
          '<option value="' + esc(v) + '"' + (v === chosen ? " selected" : "") + ">" + esc(v) + "（" + n + "）</option>";
      });
      selects[f].innerHTML = html;
      selects[f].disabled = names.length === 0;
    }

    function showMore(index) {
      var next = current.results.slice(shown, shown + PAGE_SIZE);
      list.insertAdjacentHTML(
        "beforeend",
        next
          .map(function (r) {
            return index.item(r, current.terms);
          })
          .join("")
      );
      shown += next.length;
      more.hidden = shown >= current.results.length;
      more.textContent = "再显示 " + Math.min(PAGE_SIZE, current.results.length - shown) + " 条";
    }

    function run(index) {
      var t0 = performance.now();
      var chosen = filters();
      current = index.search(input.value, chosen);
      FACETS.forEach(function (f) {
        fillSelect(f, index, current.counts[f], chosen[f]);
      });
      wanted = {};
      var query = input.value.trim();
      if (!current.terms.length) {
        status.textContent = "请输入关键词。多个词用空格分开（须同时出现）；用英文引号括起的短语按原样匹配。";
      } else {
        var active = FACETS.filter(function (f) {
          return chosen[f];
        });
        status.innerHTML =
          "共 <strong class=\"kb-search__count\">" + current.results.length + "</strong> 处章节含有“" + esc(query) + "”" +
          (active.length
            ? "（已筛选：" + active.map(function (f) {
                return FACET_LABELS[f] + "=" + esc(chosen[f]);
              }).join("，") + "；未筛选时 " + current.matched + " 处）"
            : "") +
          (current.results.length ? "" : "。请检查用字，或减少关键词、取消筛选。");
      }
      var themeCounts = current.counts.theme;
      var names = Object.keys(themeCounts).sort(function (a, b) {
        return themeCounts[b] - themeCounts[a] || (a < b ? -1 : 1);
      });
      themes.innerHTML = names.length
        ? "按主题：" +
          names
            .map(function (v) {
              return (
                '<button type="button" class="kb-search__theme' + (v === chosen.theme ? " is-active" : "") +
                '" data-theme="' + esc(v) + '">' + esc(v) + ' <span>' + themeCounts[v] + "</span></button>"
              );
            })
            .join("")
        : "";
      list.innerHTML = "";
      shown = 0;
      showMore(index);
      var url = current.terms.length ? pageLink(input.value, chosen) : PAGE_URL;
      history.replaceState(null, "", url);
      api.lastMs = performance.now() - t0;
      root.setAttribute("data-state", "done");
    }

    load().then(
      function (index) {
        run(index);
        input.addEventListener("input", function () {
          run(index);
        });
        FACETS.forEach(function (f) {
          selects[f].addEventListener("change", function () {
            run(index);
          });
        });
        themes.addEventListener("click", function (event) {
          var button = event.target.closest("button[data-theme]");
          if (!button) return;
          var v = button.getAttribute("data-theme");
          selects.theme.value = selects.theme.value === v ? "" : v;
          run(index);
        });
        more.addEventListener("click", function () {
          showMore(index);
        });
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          run(index);
        });
      },
      function (error) {
        status.textContent = "无法读取搜索数据（" + error.message + "）。请确认站点已完整生成。";
        root.setAttribute("data-state", "error");
      }
    );
  }

  function init() {
    initHeader();
    initPage();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
