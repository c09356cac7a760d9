/* 自查清单, the page: paste a draft, press 检查, read the checklist.
 *
 * The rules are checker-rules.js (window.kbChecker), loaded before this file.
 * The draft never leaves the page: the only request is for data/checker.json,
 * made when the page loads. Report text is only ever set through text nodes.
 */
(function () {
  "use strict";

  var check = window.kbChecker.check;
  var isEmpty = window.kbChecker.isEmpty;

  var LENGTH_NAMES = { empty: "草稿为空", short: "明显偏短", long: "明显偏长", normal: "与范例相当" };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function item(ok, children) {
    return el("li", { "class": ok ? "kb-ok" : "kb-gap" }, [el("span", { "class": "kb-mark" }, [ok ? "✔ " : "✘ "])].concat(children));
  }

  var EMPTY_MESSAGE = "草稿为空：请先粘贴或写入报告全文，再检查。";
  var KIND_NAMES = { problem: "问题", cause: "原因", measure: "措施" };

  function exemplarList(exemplars, base) {
    var ex = el("ul", {}, []);
    exemplars.forEach(function (e) {
      ex.appendChild(el("li", {}, [
        "范例：",
        el("a", { href: base + e.url }, [e.title + (e.section ? " · " + e.section : "")]),
        el("br", {}, []),
        el("span", { "class": "kb-check-excerpt" }, [e.excerpt])
      ]));
    });
    return ex;
  }

  function renderPairing(verdict, out, base) {
    var p = verdict.pairing;
    out.appendChild(el("h2", {}, ["四、问题与措施（" + p.problems.length + " 个问题中 " + p.unmatched_problems + " 个未找到对应措施；" +
      p.causes.length + " 条原因中 " + p.unmatched_causes + " 条未对应问题）"]));
    var list = el("ul", { "class": "kb-check-pairing" }, []);
    out.appendChild(list);
    if (!p.problems.length && !p.causes.length) {
      var found = verdict.structure.parts.some(function (part) { return part.found && part.label === "存在问题"; });
      list.appendChild(item(false, [found ? "存在问题部分没有列出具体问题" : "未找到“存在问题”部分，无法核对问题与措施"]));
      return;
    }
    p.problems.concat(p.causes).forEach(function (x) {
      var head = KIND_NAMES[x.kind] + "（" + (x.theme ? x.theme + "，" : "") + "第 " + x.line + " 行）：" + x.text;
      if (x.matched_by.length) {
        var wanted = x.kind === "problem" ? "措施" : "问题";
        list.appendChild(item(true, [head + "　→ 对应" + wanted + "：" +
          x.matched_by.map(function (n) { return "第 " + n + " 行"; }).join("、")]));
        return;
      }
      var missing = x.kind === "problem" ? "下一步措施中没有与之对应的措施" : "存在问题中没有与之对应的问题";
      var terms = x.terms.length ? "（关键词：" + x.terms.join("、") + "）" : "";
      var guides = el("p", { "class": "kb-check-guides" }, ["参考："]);
      x.guides.forEach(function (g, k) {
        if (k) guides.appendChild(document.createTextNode("　"));
        guides.appendChild(el("a", { href: base + g.url }, [g.label]));
      });
      list.appendChild(el("li", { "class": "kb-gap kb-check-unmatched", "data-line": String(x.line), "data-kind": x.kind }, [
        el("span", { "class": "kb-mark" }, ["✘ "]), head, el("br", {}, []),
        el("span", { "class": "kb-check-missing" }, [missing + terms]),
        guides,
        exemplarList(x.exemplars, base)
      ]));
    });
  }

  function render(verdict, root, base, gapNames) {
    var out = document.createDocumentFragment();
    var data = el("script", { type: "application/json", id: "kb-check-verdict" }, []);
    data.textContent = JSON.stringify(verdict);
    if (verdict.gaps.length === 1 && verdict.gaps[0] === "empty-draft") {
      out.appendChild(el("p", { "class": "kb-check-summary kb-gap" }, [EMPTY_MESSAGE]));
      out.appendChild(data);
      root.textContent = "";
      root.appendChild(out);
      return;
    }
    var summary = verdict.ok
      ? "结论：各项均已齐备。"
      : "结论：待完善——" + verdict.gaps.map(function (g) { return gapNames[g]; }).join("；");
    out.appendChild(el("p", { "class": "kb-check-summary " + (verdict.ok ? "kb-ok" : "kb-gap") }, [summary]));

    var s = verdict.structure;
    var list = el("ul", {}, []);
    list.appendChild(s.title
      ? item(true, ["标题（第 " + s.title.line + " 行）：" + s.title.text])
      : item(false, ["标题：未找到（第一行应为“××单位××年上半年意识形态工作自查报告”之类的标题）"]));
    s.parts.forEach(function (p) {
      list.appendChild(p.found
        ? item(true, [p.label + "（第 " + p.line + " 行）：" + p.heading])
        : item(false, [p.label + "：未找到以此为内容的一级标题"]));
    });
    list.appendChild(el("li", {}, ["共识别编号标题 " + s.headings + " 个。"]));
    out.appendChild(el("h2", {}, ["一、结构"]));
    out.appendChild(list);

    out.appendChild(el("h2", {}, ["二、主题"]));
    list = el("ul", {}, []);
    verdict.themes.forEach(function (t) {
      var terms = t.terms.map(function (x) { return x[0] + "×" + x[1]; }).join("、") || "无关键词";
      list.appendChild(item(t.covered, [t.name + "（得分 " + t.score + "）：" + terms]));
    });
    out.appendChild(list);

    var done = verdict.requirements.filter(function (r) { return r.addressed; });
    out.appendChild(el("h2", {}, ["三、要求（已回应 " + done.length + "/" + verdict.requirements.length + "）"]));
    list = el("ul", { "class": "kb-check-requirements" }, []);
    verdict.requirements.filter(function (r) { return !r.addressed; }).forEach(function (r) {
      var ex = exemplarList(r.exemplars, base);
      list.appendChild(item(false, [
        el("a", { href: base + r.page }, [r.id + " " + r.title]),
        "（" + r.theme + "）",
        ex
      ]));
    });
    done.forEach(function (r) {
      var where = r.matches.map(function (m) { return "第 " + m.line + " 行“" + m.text + "”"; }).join("；");
      list.appendChild(item(true, [el("a", { href: base + r.page }, [r.id + " " + r.title]), "：" + where]));
    });
    out.appendChild(list);

    renderPairing(verdict, out, base);

    var ph = verdict.placeholders;
    out.appendChild(el("h2", {}, ["五、未填写的占位符（" + ph.total + " 处）"]));
    list = el("ul", { "class": "kb-check-placeholders" }, []);
    var byLine = [];
    var current = null;
    ph.items.forEach(function (x) {
      if (!current || current[0] !== x.line) { current = [x.line, []]; byLine.push(current); }
      if (current[1].indexOf(x.sentence) < 0) current[1].push(x.sentence);
    });
    byLine.forEach(function (b) { list.appendChild(item(false, ["第 " + b[0] + " 行：" + b[1].join("　")])); });
    if (ph.total > ph.items.length) list.appendChild(el("li", {}, ["……另有 " + (ph.total - ph.items.length) + " 处未列出"]));
    out.appendChild(list);

    var fm = verdict.formulas;
    out.appendChild(el("h2", {}, ["六、规范表述（" + fm.total + " 处可能写得不规范）"]));
    list = el("ul", {}, []);
    fm.items.forEach(function (x) {
      list.appendChild(item(false, ["第 " + x.line + " 行：“" + x.text + "”应为“" + x.standard + "”"]));
    });
    if (fm.total > fm.items.length) list.appendChild(el("li", {}, ["……另有 " + (fm.total - fm.items.length) + " 处未列出"]));
    out.appendChild(list);

    var n = verdict.length;
    out.appendChild(el("h2", {}, ["七、篇幅"]));
    out.appendChild(el("ul", {}, [item(n.verdict === "normal", [
      "中文字数 " + n.chars + "，" + LENGTH_NAMES[n.verdict] + "（范例 " + n.reports + " 篇，中位数 " + n.median +
      "，常见范围 " + n.short_below + "–" + n.long_above + "）"
    ])]));

    out.appendChild(data);
    root.textContent = "";
    root.appendChild(out);
  }

  function setup() {
    var box = document.getElementById("kb-draft");
    if (!box) return;
    var button = document.getElementById("kb-check-run");
    var clear = document.getElementById("kb-check-clear");
    var status = document.getElementById("kb-check-status");
    var result = document.getElementById("kb-check-result");
    var specUrl = new URL("../data/checker.json", SCRIPT_URL).href;
    var base = new URL("../", SCRIPT_URL).href;
    var spec = null;
    result.setAttribute("data-state", "loading");
    status.textContent = "正在载入检查规则……";
    fetch(specUrl).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) {
      spec = data;
      window.kbChecker.spec = data;  // for tests and the console: the rules this page applies
      updateButton();
      status.textContent = "检查规则已载入：" + spec.requirements.length + " 项要求，" + spec.length.reports + " 篇范例。";
      result.setAttribute("data-state", "ready");
    }).catch(function () {
      status.textContent = "无法载入检查规则。请通过站点地址访问本页，而不是直接打开文件。";
      result.setAttribute("data-state", "error");
    });

    // 检查 only when there is something to check: an empty box gets no checklist.
    function updateButton() {
      button.disabled = !spec || isEmpty(box.value, spec);
    }

    function run() {
      updateButton();
      if (button.disabled) return;
      button.disabled = true;
      result.setAttribute("data-state", "running");
      status.textContent = "正在检查……";
      // Let the browser paint the status before the (synchronous) check.
      setTimeout(function () {
        var start = performance.now();
        var verdict = check(box.value, spec);
        var checked = performance.now();
        render(verdict, result, base, spec.gap_names);
        var ms = Math.round(performance.now() - start);
        status.textContent = "检查完成（" + box.value.length + " 字符，用时 " + ms + " 毫秒）。草稿只在本页面内检查，不会发送到任何地方。";
        result.setAttribute("data-ms", String(Math.round(checked - start)));
        result.setAttribute("data-render-ms", String(ms));
        result.setAttribute("data-state", "done");
        updateButton();
      }, 20);
    }

    button.addEventListener("click", run);
    box.addEventListener("input", updateButton);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    });
    clear.addEventListener("click", function () {
      box.value = "";
      updateButton();
      result.textContent = "";
      result.setAttribute("data-state", spec ? "ready" : "loading");
      status.textContent = "";
      box.focus();
    });
  }

  var SCRIPT_URL = document.currentScript ? document.currentScript.src : location.href;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
