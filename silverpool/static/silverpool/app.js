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

// ==== Talent detail page (talents/talent_detail.html) ====
(function () {
  "use strict";

  // Buttons only needed without JavaScript (a select that submits on change) hide.
  document.documentElement.classList.add("js");

  // Chromium puts an empty style="" on form controls; htmx copying it while settling a
  // swap trips our CSP (no inline styles), so settle without "style".
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  // A refused in-place edit answers 422 with the form and its messages: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Escape leaves an in-place edit without saving.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var row = event.target.closest(".field-row.editing");
    var cancel = row && row.querySelector(".cancel-edit");
    if (cancel) cancel.click();
  });
})();

// ==== Talent list (talents/talent_list.html) ====
// Start with the bulk bar in step with the
// ticked rows, on load and after htmx swaps in new results. Without JavaScript the bar
// simply stays visible.
(function () {
  "use strict";

  function syncSelection() {
    document.querySelectorAll("form[data-selection]").forEach(function (form) {
      var box = form.querySelector("input[name=ids]");
      if (box) box.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  document.addEventListener("DOMContentLoaded", syncSelection);
  document.addEventListener("htmx:afterSettle", syncSelection);
})();

// ==== Form builder (webforms/form_detail.html) ====
// The preview reloads after each change of the fields (the server answers with the
// HX-Trigger "form-changed"), in the language it shows. Copy buttons need JavaScript, so
// they start hidden.
(function () {
  "use strict";

  // Each time to an address of its own: a reload asked for while the one before was still
  // loading could end with the page that one got, the fields as they were before.
  document.addEventListener("form-changed", function () {
    document.querySelectorAll("iframe[data-preview]").forEach(function (frame) {
      var url = new URL(frame.contentWindow.location.href);
      url.searchParams.set("v", String(Date.now()));
      frame.contentWindow.location.replace(url.href);
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    source.select();
    // The clipboard API needs a secure page (https or localhost); elsewhere the old way.
    var copied = navigator.clipboard ? navigator.clipboard.writeText(source.value) : Promise.reject();
    copied.catch(function () { document.execCommand("copy"); });
    var label = button.textContent;
    button.textContent = button.dataset.copied;
    setTimeout(function () { button.textContent = label; }, 2000);
  });
})();
