/* 生成提纲: the recommended outline for the chosen kind of report and themes.
 *
 * Reads data/outline.json (scripts/reportkb/analysis/outline.py) once; the
 * Word file offered is the one generated at build time for the same choice
 * (outline/files/<kind>-<one digit per theme>.docx, same writer as
 * kb.py outline). Report text is only ever set through textContent.
 */
(function () {
  "use strict";

  var SCRIPT_URL = document.currentScript ? document.currentScript.src : location.href;
  var ROOT = new URL("../", SCRIPT_URL).href;
  var NUMERALS = "一二三四五六七八九十";

  function numeral(n) {
    return n <= 10 ? NUMERALS.charAt(n - 1) : "十" + NUMERALS.charAt(n - 11);
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function checked(name) {
    return Array.prototype.filter.call(document.getElementsByName(name), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }

  function reportUrl(e) {
    return new URL("reports/" + e.report + "/", ROOT).href + (e.anchor ? "#" + encodeURIComponent(e.anchor) : "");
  }

  function usual(headings) {
    return headings.map(function (h) { return "“" + h[0] + "”（" + h[1] + " 篇）"; }).join("、");
  }

  function renderSection(box, section, theme, number) {
    box.appendChild(el("h4", "（" + numeral(number) + "）" + section.heading));
    box.appendChild(el("p", "【" + theme + "】" + section.hint, "kb-outline-hint"));
    if (section.headings.length > 1) box.appendChild(el("p", "常见标题：" + usual(section.headings), "kb-outline-meta"));
    if (section.requirements.length) {
      box.appendChild(el("p", "应回应的要求："));
      var list = el("ul");
      section.requirements.forEach(function (r) { list.appendChild(el("li", r[0] + " " + r[1])); });
      box.appendChild(list);
    }
    if (section.exemplars.length) {
      box.appendChild(el("p", "范例写法："));
      section.exemplars.forEach(function (e) {
        var quote = el("blockquote");
        quote.appendChild(el("p", "“" + e.text + "”"));
        var from = el("p", "", "kb-outline-meta");
        from.appendChild(document.createTextNode("见 "));
        var a = el("a", "《" + e.title + "》" + e.heading);
        a.href = reportUrl(e);
        from.appendChild(a);
        quote.appendChild(from);
        box.appendChild(quote);
      });
    } else {
      box.appendChild(el("p", "范例中暂无本主题的这类写法。", "kb-outline-meta"));
    }
  }

  function render(data, result, status, download) {
    var kindId = checked("kb-outline-kind")[0];
    var kind = data.kinds.filter(function (k) { return k.id === kindId; })[0];
    var themes = checked("kb-outline-theme");
    var mask = data.themes.map(function (t) { return themes.indexOf(t) >= 0 ? "1" : "0"; }).join("");
    result.textContent = "";
    if (!themes.length) {
      status.textContent = "请至少选择一个主题。";
      download.setAttribute("aria-disabled", "true");
      download.removeAttribute("href");
      return;
    }
    download.removeAttribute("aria-disabled");
    download.href = "files/" + kind.id + "-" + mask + ".docx";
    download.setAttribute("download", kind.name + "提纲.docx");
    status.textContent = kind.reports
      ? "以下结构取自 " + kind.reports + " 篇" + kind.name + "（近似重复的只计一次）。"
      : "范例中暂无" + kind.name + "，以下结构取自全部 " + kind.pool + " 篇报告。";
    result.appendChild(el("p", kind.title, "kb-outline-title"));
    kind.parts.forEach(function (part, p) {
      result.appendChild(el("h3", numeral(p + 1) + "、" + part.heading));
      var meta = kind.pool ? part.reports + "/" + kind.pool + " 篇范例有“" + part.role + "”部分" : "";
      if (part.headings.length > 1) meta += "；常见标题：" + usual(part.headings);
      if (meta) result.appendChild(el("p", meta, "kb-outline-meta"));
      var n = 0;
      data.themes.forEach(function (theme) {
        if (themes.indexOf(theme) < 0) return;
        n += 1;
        renderSection(result, part.sections[theme], theme, n);
      });
    });
    result.setAttribute("data-state", "ready");
  }

  function start() {
    var result = document.getElementById("kb-outline-result");
    if (!result) return;
    var status = document.getElementById("kb-outline-status");
    var download = document.getElementById("kb-outline-download");
    fetch(new URL("data/outline.json", ROOT).href).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (data) {
      var update = function () { render(data, result, status, download); };
      document.querySelectorAll(".kb-outline input").forEach(function (input) {
        input.addEventListener("change", update);
      });
      update();
    }).catch(function () {
      status.textContent = "无法载入提纲数据。请通过站点地址访问本页，而不是直接打开文件。";
      result.setAttribute("data-state", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
