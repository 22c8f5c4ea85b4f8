// Progressive enhancement only: the page reads the same without it.
(function () {
  "use strict";
  var summary = document.getElementById("summary");
  var header = document.querySelector("body > header");
  if (summary && header) {
    header.parentNode.insertBefore(summary, header.nextSibling);
    document.querySelectorAll(".nojs, .skip").forEach(function (e) { e.remove(); });
  }
  // Filter files by what they hold.
  var filter = document.getElementById("filter");
  if (filter) {
    filter.hidden = false;
    var boxes = filter.querySelectorAll("input");
    var shown = filter.querySelector(".shown");
    var apply = function () {
      var on = [];
      boxes.forEach(function (b) { if (b.checked) on.push(b.value); });
      var rows = 0, visible = 0;
      document.querySelectorAll("[data-kinds]").forEach(function (el) {
        var kinds = el.getAttribute("data-kinds").split(" ");
        var show = kinds.some(function (k) { return on.indexOf(k) >= 0; });
        el.hidden = !show;
        if (el.tagName === "TR") { rows++; if (show) visible++; }
      });
      shown.textContent = "（显示 " + visible + " / " + rows + " 个文件）";
    };
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    apply();
  }
  // Sortable tables: a button in each heading.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") !== "descending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var text = th.getAttribute("data-type") === "text";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent, y = b.cells[col].textContent;
          var c = text ? x.localeCompare(y, "zh-CN") : Number(x) - Number(y);
          return descending ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  // Print every rule's doc.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
