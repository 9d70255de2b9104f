// Small behaviours that need no server round trip. No inline scripts: CSP allows only files.
(function () {
  "use strict";

  // "Select all" checkbox in the talent list, and the selection counter.
  function updateSelection(form) {
    var boxes = form.querySelectorAll("input[name=ids]");
    var checked = form.querySelectorAll("input[name=ids]:checked").length;
    var all = form.querySelector("input[name=all_matching]");
    var counter = document.getElementById("selection-count");
    var bar = document.getElementById("bulk-bar");
    if (counter) {
      counter.textContent = all && all.checked ? counter.dataset.allLabel : String(checked);
    }
    if (bar) {
      bar.hidden = checked === 0 && !(all && all.checked);
    }
    var head = form.querySelector("input[data-select-all]");
    if (head) {
      head.checked = boxes.length > 0 && checked === boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.closest && target.closest("form[data-selection]");
    if (!form) return;
    if (target.matches("input[data-select-all]")) {
      form.querySelectorAll("input[name=ids]").forEach(function (box) {
        box.checked = target.checked;
      });
    }
    updateSelection(form);
  });

  // Confirmation for destructive buttons: <button data-confirm="…">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Elements with data-autosubmit submit their form on change (filters, selects).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit();
    }
  });
})();
