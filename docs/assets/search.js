/* Exact full-text search of the knowledge base. Self-contained: no requests
 * outside this site, no libraries.
 *
 * Data (written by scripts/reportkb/pages/search.py): data/search.json, the
 * small part every query needs, and data/search/*.json, fetched as a query
 * needs them — the postings of its grams (g*, w*) and the text of the
 * results shown (t*). A record is one section's own text (heading +
 * paragraphs directly under it) or the opening of a report. A query is split
 * on spaces into terms ("a quoted phrase" is one term); a record matches when
 * every term occurs in it as an exact substring, after folding both sides the
 * same way as text.fold: traditional → simplified, full-width → half-width,
 * ASCII lower case, Ⅹ/ⅹ → x. A term occurs where all its bigrams (at offsets
 * 0, 2, 4 … and the last) occur at their offsets, which the positional
 * postings decide exactly. Folding keeps every offset, so highlights are
 * drawn on the original text.
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

  // Base-64 varints (pages/search_codec.py): 5 bits a character, 32 = more follows.
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = new Int8Array(128);
  for (var a = 0; a < ALPHABET.length; a++) VALUE[ALPHABET.charCodeAt(a)] = a;

  function decode(text) {
    var out = [];
    var value = 0;
    var shift = 0;
    for (var i = 0; i < text.length; i++) {
      var v = VALUE[text.charCodeAt(i)];
      value |= (v & 31) << shift;
      if (v & 32) shift += 5;
      else {
        out.push(value);
        value = 0;
        shift = 0;
      }
    }
    return out;
  }

  /** FNV-1a over UTF-16 code units, as search_codec.shard_of. */
  function shardOf(gram, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < gram.length; i++) h = Math.imul(h ^ gram.charCodeAt(i), 16777619) >>> 0;
    return h % shards;
  }

  /** Sorted search in a typed array slice: index of value in a[lo, hi), or -1. */
  function find(a, lo, hi, value) {
    var end = hi;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (a[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo < end && a[lo] === value ? lo : -1;
  }

  /**
   * The search data of data/search.json; postings (data/search/g*, w*) and
   * record text (data/search/t*) are fetched as queries need them.
   */
  function Index(meta) {
    this.fold = makeFold(meta.fold);
    this.sep = meta.sep;
    this.themes = meta.themes;
    this.roles = meta.roles;
    this.units = meta.units;
    this.shards = meta.shards;
    this.chunk = meta.chunk;
    this.solo = Object.create(null);
    for (var i = 0; i < meta.solo.length; i++) this.solo[meta.solo[i]] = i;
    // reports[n] = [id, title, year, unit index]; id and title arrive with the text.
    this.reports = meta.reports.map(function (r) {
      return [null, null, r[0], r[1]];
    });
    var spans = decode(meta.spans);
    var labelOf = decode(meta.label_of);
    // records[r] = [report, anchor, role, [themes]]; the anchor arrives with the text.
    this.records = new Array(meta.records);
    var r = 0;
    for (var n = 0; n < spans.length; n++) {
      for (var k = 0; k < spans[n]; k++, r++) {
        var label = meta.labels[labelOf[r]];
        this.records[r] = [n, null, label[0], label[1]];
      }
    }
    this.texts = new Array(meta.records);
    this.postings = Object.create(null);
    this.decoded = Object.create(null);
    this.files = Object.create(null);
  }

  Index.prototype.fetch = function (name) {
    var self = this;
    if (!this.files[name]) {
      var url = new URL("data/search/" + name + ".json", ROOT).href;
      this.files[name] = fetch(url)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + url);
          return response.json();
        })
        .then(function (data) {
          if (name.charAt(0) === "t") self.addText(Number(name.slice(1)), data);
          else for (var g in data) self.postings[g] = data[g];
        });
    }
    return this.files[name];
  };

  Index.prototype.addText = function (chunk, rows) {
    for (var i = 0; i < rows.length; i++) {
      var r = chunk * this.chunk + i;
      var report = this.reports[this.records[r][0]];
      report[0] = rows[i][0];
      report[1] = rows[i][1];
      this.records[r][1] = rows[i][2];
      this.texts[r] = rows[i][3];
    }
  };

  /** The grams that decide a term: itself if one unit long, else bigrams at 0, 2, 4 … and the last. */
  function gramsOf(term) {
    if (term.length === 1) return [[term, 0]];
    var out = [];
    for (var o = 0; o + 2 <= term.length; o += 2) out.push([term.substr(o, 2), o]);
    if (term.length % 2) out.push([term.substr(term.length - 2, 2), term.length - 2]);
    return out;
  }

  Index.prototype.fileOf = function (gram) {
    return gram in this.solo ? "w" + this.solo[gram] : "g" + shardOf(gram, this.shards);
  };

  /** Fetch the postings a query needs. */
  Index.prototype.prepare = function (query) {
    var self = this;
    var names = [];
    this.terms(query).forEach(function (term) {
      gramsOf(term).forEach(function (g) {
        var name = self.fileOf(g[0]);
        if (names.indexOf(name) === -1) names.push(name);
      });
    });
    return Promise.all(names.map(function (n) {
      return self.fetch(n);
    }));
  };

  /** Fetch the text of these records (for showing them). */
  Index.prototype.needText = function (rs) {
    var self = this;
    var names = [];
    rs.forEach(function (r) {
      var name = "t" + Math.floor(r / self.chunk);
      if (self.texts[r] === undefined && names.indexOf(name) === -1) names.push(name);
    });
    return Promise.all(names.map(function (n) {
      return self.fetch(n);
    }));
  };

  Index.prototype.hasText = function (rs) {
    for (var i = 0; i < rs.length; i++) if (this.texts[rs[i]] === undefined) return false;
    return true;
  };

  /** Everything: every posting and all text (the engine then needs no further request). */
  Index.prototype.loadAll = function () {
    var names = [];
    for (var i = 0; i < this.shards; i++) names.push("g" + i);
    for (var g in this.solo) names.push("w" + this.solo[g]);
    for (i = 0; i * this.chunk < this.records.length; i++) names.push("t" + i);
    var self = this;
    return Promise.all(names.map(function (n) {
      return self.fetch(n);
    }));
  };

  /** A gram's posting, decoded once: {recs, start, pos} (positions only for bigrams). */
  Index.prototype.posting = function (gram) {
    if (gram in this.decoded) return this.decoded[gram];
    var text = this.postings[gram];
    var out = null;
    if (text !== undefined) {
      var nums = decode(text);
      if (gram.length === 1) {
        var recs = new Int32Array(nums.length);
        for (var i = 0, r = 0; i < nums.length; i++) recs[i] = r += nums[i];
        out = { recs: recs };
      } else {
        var rs = [];
        var start = [];
        var pos = [];
        var rec = 0;
        for (i = 0; i < nums.length; ) {
          rec += nums[i];
          var count = nums[i + 1];
          i += 2;
          rs.push(rec);
          start.push(pos.length);
          for (var k = 0, p = 0; k < count; k++) pos.push((p += nums[i + k]));
          i += count;
        }
        start.push(pos.length);
        out = { recs: Int32Array.from(rs), start: Int32Array.from(start), pos: Int32Array.from(pos) };
      }
    }
    this.decoded[gram] = out;
    return out;
  };

  /** Records in which a folded term occurs, ascending (its postings must be loaded). */
  Index.prototype.recordsWith = function (term) {
    var grams = gramsOf(term);
    var lists = [];
    for (var i = 0; i < grams.length; i++) {
      var p = this.posting(grams[i][0]);
      if (!p) return [];
      lists.push({ p: p, offset: grams[i][1] });
    }
    if (term.length === 1) return Array.prototype.slice.call(lists[0].p.recs);
    // Walk the rarest gram; the term starts at (its position − its offset).
    lists.sort(function (x, y) {
      return x.p.pos.length - y.p.pos.length;
    });
    var lead = lists[0];
    var out = [];
    for (var j = 0; j < lead.p.recs.length; j++) {
      var rec = lead.p.recs[j];
      var rows = [];
      for (i = 1; i < lists.length; i++) {
        var at = find(lists[i].p.recs, 0, lists[i].p.recs.length, rec);
        if (at === -1) break;
        rows.push(at);
      }
      if (rows.length < lists.length - 1) continue;
      for (var k = lead.p.start[j]; k < lead.p.start[j + 1]; k++) {
        var s = lead.p.pos[k] - lead.offset;
        if (s < 0) continue;
        var all = true;
        for (i = 1; i < lists.length && all; i++) {
          var q = lists[i].p;
          all = find(q.pos, q.start[rows[i - 1]], q.start[rows[i - 1] + 1], s + lists[i].offset) !== -1;
        }
        if (all) {
          out.push(rec);
          break;
        }
      }
    }
    return out;
  };

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

  /** Indexes of the records that contain every term, in corpus order. */
  Index.prototype.match = function (terms) {
    if (!terms.length) return [];
    var count = new Uint16Array(this.records.length);
    for (var t = 0; t < terms.length; t++) {
      var rs = this.recordsWith(terms[t]);
      for (var i = 0; i < rs.length; i++) if (count[rs[i]] === t) count[rs[i]] = t + 1;
    }
    var out = [];
    for (var r = 0; r < count.length; r++) if (count[r] === terms.length) out.push(r);
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
    return this.records[r][1] ? this.texts[r].split(this.sep)[0] : "开头";
  };

  /** Keyword-in-context: one window per term not already shown, hits marked. */
  Index.prototype.snippets = function (r, terms) {
    var self = this;
    var paras = this.texts[r].split(this.sep);
    var windows = [];
    var covered = [];
    terms.forEach(function (term) {
      if (covered.indexOf(term) !== -1) return;
      for (var k = 0; k < paras.length; k++) {
        var folded = self.fold(paras[k]);
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
        windows.push(render(paras[k], from, to, marks));
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

  var metaLoading = null;
  /** The index of data/search.json, without postings or text yet. */
  function loadMeta() {
    if (!metaLoading) {
      metaLoading = fetch(DATA_URL)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + DATA_URL);
          return response.json();
        })
        .then(function (data) {
          return new Index(data);
        });
    }
    return metaLoading;
  }
  /** The index with every posting and all text loaded, so that search() needs nothing more. */
  function load() {
    return loadMeta().then(function (index) {
      return index.loadAll().then(function () {
        return index;
      });
    });
  }

  var api = { load: load, meta: loadMeta, lastMs: null, Index: Index };
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
      loadMeta();
    }
    function run() {
      var query = input.value;
      var t0 = performance.now();
      loadMeta()
        .then(function (index) {
          return index.prepare(query).then(function () {
            if (input.value !== query) return;
            var found = index.search(query);
            var first = found.results.slice(0, DROP_LIMIT);
            return index.needText(first).then(function () {
              if (input.value !== query) return;
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
                list.innerHTML = first
                  .map(function (r) {
                    return index.item(r, found.terms);
                  })
                  .join("");
              }
              api.lastMs = performance.now() - t0;
            });
          });
        })
        .catch(function (error) {
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

    var runs = 0;
    /**
     * The next PAGE_SIZE results. Their text is always there when the button
     * can be clicked: it stays disabled (still shown) until the page after is
     * fetched, so a click always adds results at once.
     */
    function showMore(index) {
      var next = current.results.slice(shown, shown + PAGE_SIZE);
      if (!index.hasText(next)) return;
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
      var after = current.results.slice(shown, shown + PAGE_SIZE);
      more.disabled = !more.hidden && !index.hasText(after);
      if (more.disabled) {
        var was = current;
        index.needText(after).then(function () {
          if (current === was) more.disabled = false;
        });
      }
    }

    function run(index) {
      var t0 = performance.now();
      var ticket = ++runs;
      var chosen = filters();
      var query = input.value;
      index
        .prepare(query)
        .then(function () {
          if (ticket !== runs) return;
          var found = index.search(query, chosen);
          return index.needText(found.results.slice(0, PAGE_SIZE)).then(function () {
            if (ticket === runs) show(index, found, chosen, t0);
          });
        })
        .catch(function (error) {
          status.textContent = "无法读取搜索数据（" + error.message + "）。请确认站点已完整生成。";
          root.setAttribute("data-state", "error");
        });
    }

    function show(index, found, chosen, t0) {
      current = found;
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

    loadMeta().then(
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
