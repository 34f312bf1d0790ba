// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive buttons: <button data-confirm="Delete this draft?">
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Move focus to the error summary so keyboard and screen-reader users hear it.
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }

  // The menu button folds the navigation on narrow screens (CSS shows it below 900 px).
  var menuButton = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (menuButton && menu) {
    document.documentElement.classList.add("has-menu-button");
    menuButton.hidden = false;
    menuButton.addEventListener("click", function () {
      var open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) {
        menuButton.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        menuButton.focus();
      }
    });
  }

  // Label every cell with its column heading, so that a table too wide for a phone
  // can be shown as stacked cards (CSS: table.stacked below 760 px).
  function labelCells(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) { names.push((th.innerText || th.textContent).replace(/\s+/g, " ").trim()); }
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (tr) {
      var col = 0;
      Array.prototype.forEach.call(tr.cells, function (cell) {
        var name = names[col];
        if (name && !cell.hasAttribute("data-label") && (cell.tagName === "TD" || tr.parentNode.tagName === "TFOOT") && (cell.colSpan || 1) === 1) {
          cell.setAttribute("data-label", name);
        }
        col += cell.colSpan || 1;
      });
    });
  }
  var narrow = window.matchMedia("(max-width: 760px)");
  function fitTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap > table"), function (table) {
      var wrap = table.parentNode;
      table.classList.remove("stacked");
      if (narrow.matches && !table.classList.contains("no-stack") && table.scrollWidth > wrap.clientWidth + 1) {
        labelCells(table);
        table.classList.add("stacked");
      }
    });
    // A region that still scrolls sideways must be reachable by keyboard (WCAG 2.1.1).
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap, .report-chart"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) {
          var caption = box.querySelector("caption, figcaption");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Scrollable table");
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  // Week grid: the up and down arrows move between engagements in the same day column.
  document.addEventListener("keydown", function (event) {
    var cell = event.target;
    if ((event.key !== "ArrowUp" && event.key !== "ArrowDown") || !cell.matches || !cell.matches(".week-grid input[data-row]")) { return; }
    var row = parseInt(cell.getAttribute("data-row"), 10) + (event.key === "ArrowDown" ? 1 : -1);
    var next = document.querySelector('.week-grid input[data-row="' + row + '"][data-col="' + cell.getAttribute("data-col") + '"]');
    if (next) { event.preventDefault(); next.focus(); next.select(); }
  });

  fitTables();
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(fitTables, 100);
  });
})();
