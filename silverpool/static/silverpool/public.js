// The public form page: move focus to the error summary so it is announced, and, inside
// an iframe, tell the embedding page how tall the form is (embed.js resizes the iframe).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  if (window.parent === window) return;
  var form = document.body.dataset.form;
  var last = 0;
  function report() {
    // The root element's own height: scrollHeight never drops below the iframe's current
    // height, so a shorter page (the thank-you page after a long form) could never shrink it.
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a height leaves the page, so any parent may read it.
    window.parent.postMessage({ silverpool: "height", form: form, height: height }, "*");
  }
  report();
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
  window.addEventListener("load", report);
})();
