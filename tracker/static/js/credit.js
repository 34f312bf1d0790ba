// The credit-note form: show the running total of the lines chosen (gross).
(function () {
  "use strict";
  var form = document.getElementById("credit-form");
  var out = document.getElementById("credit-total");
  if (!form || !out) { return; }
  var money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
  function update() {
    var boxes = form.querySelectorAll("input[name='line_ids']:checked");
    var pennies = 0;
    // data-gross is pounds with two places ("300.00"): add whole pennies, never floats.
    boxes.forEach(function (box) { pennies += parseInt(box.getAttribute("data-gross").replace(".", ""), 10); });
    out.textContent = boxes.length === 0 ? out.getAttribute("data-empty")
      : "Chosen: " + boxes.length + (boxes.length === 1 ? " line, " : " lines, ") + money.format(pennies / 100) + " to credit (gross).";
  }
  form.addEventListener("change", update);
  update();
})();
