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
})();
