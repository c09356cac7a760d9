/* Reading aids for every page: the 显示标注 switch, copy buttons, tables on phones.
 *
 * - 显示标注: report pages open with the report text alone; the switch shows the
 *   badges, 分类依据 panels and formula lists (html.kb-notes-on, kb.css) and the
 *   choice is remembered in localStorage for every report page.
 * - 复制全文: a guide's exemplar is copied as plain text, one paragraph a line.
 * - Tables of four or more columns get a label on each cell, so that on a phone
 *   kb.css can show each row as a stacked card instead of squeezed columns.
 * Nothing is loaded from anywhere; without this script the text still reads.
 */
(function () {
  "use strict";
  var KEY = "kb-show-notes";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
  }
  function showNotes(on) {
    root.classList.toggle("kb-notes-on", on);
    document.querySelectorAll(".kb-notes-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "隐藏标注" : "显示标注";
    });
  }

  function plainText(element) {
    var lines = [];
    element.querySelectorAll("p").forEach(function (p) { lines.push(p.textContent); });
    return lines.length ? lines.join("\n") : element.textContent;
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy")); }
    });
  }

  function labelTables() {
    document.querySelectorAll("article table").forEach(function (table) {
      if (table.closest(".kb-meta")) { return; }
      var heads = table.querySelectorAll("thead th");
      if (heads.length < 4) { return; }
      var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (names[i]) { cell.setAttribute("data-label", names[i]); }
        });
      });
      table.setAttribute("data-kb-stack", "");
    });
  }

  function start() {
    showNotes(stored());
    document.querySelectorAll(".kb-notes-toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = !root.classList.contains("kb-notes-on");
        store(on);
        showNotes(on);
      });
    });
    document.querySelectorAll("button.kb-copy[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (!target) { return; }
        var label = button.textContent;
        copyText(plainText(target)).then(function () {
          button.textContent = "已复制";
        }, function () {
          button.textContent = "复制失败，请手动选择文字";
        }).then(function () {
          window.setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
    labelTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
