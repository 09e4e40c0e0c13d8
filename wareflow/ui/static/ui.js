/* Wareflow UI: the few behaviours htmx does not cover, for keyboards and barcode scanners.
   Scanners type the code and press Enter; every handler here is delegated from the document,
   so it keeps working after htmx swaps the page. */
(function () {
  "use strict";

  function say(text) {
    var box = document.querySelector(".scan-message");
    if (box) box.textContent = text;
  }

  function firstEmpty(inputs) {
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].disabled && !inputs[i].value.trim()) return inputs[i];
    }
    return null;
  }

  /* A scanned (or typed) SKU or EAN: go to its line, at the first empty serial, or its quantity. */
  function goTo(code) {
    var wanted = code.trim().toLowerCase();
    if (!wanted) return;
    var rows = document.querySelectorAll(".pick-row");
    var match = null;
    for (var i = 0; i < rows.length; i++) {
      var codes = (rows[i].getAttribute("data-codes") || "").split(" ");
      if (codes.indexOf(wanted) === -1) continue;
      if (!match) match = rows[i];
      if (firstEmpty(rows[i].querySelectorAll("input.serial"))) { match = rows[i]; break; }
    }
    document.querySelectorAll(".pick-row.found").forEach(function (r) { r.classList.remove("found"); });
    if (!match) { say("No line for " + code + " on this pick list."); return; }
    match.classList.add("found");
    var target = firstEmpty(match.querySelectorAll("input.serial")) || match.querySelector("input.qty");
    say("");
    target.focus();
    if (target.select) target.select();
  }

  /* Show one serial input per unit picked (hidden ones are disabled, so they are not sent). */
  function syncSerials(qty) {
    var row = qty.closest(".pick-row");
    if (!row) return;
    var n = parseInt(qty.value, 10);
    row.querySelectorAll("input.serial").forEach(function (input, i) {
      var off = !(i < n);
      input.hidden = off;
      input.disabled = off;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var el = event.target;
    if (!(el instanceof HTMLInputElement)) return;
    var scan = document.getElementById("scan");
    if (el.id === "scan") {
      event.preventDefault();
      goTo(el.value);
      el.value = "";
    } else if (el.classList.contains("serial")) {
      event.preventDefault();  /* a scanner's Enter after a serial: next unit, not submit */
      var next = firstEmpty(el.closest(".pick-row").querySelectorAll("input.serial"));
      (next || scan || el).focus();
    } else if (el.classList.contains("qty") && scan) {
      event.preventDefault();
      syncSerials(el);
      scan.focus();
    }
  });

  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el instanceof HTMLInputElement && el.classList.contains("qty")) syncSerials(el);
  });
})();
