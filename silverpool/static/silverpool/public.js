// The public form page: move focus to the error summary so it is announced, send the form
// once however often the button is pressed, and, inside an iframe, tell the embedding page
// how tall the form is (embed.js resizes the iframe).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  var sheet = document.querySelector("form.public-form");
  if (sheet) {
    sheet.addEventListener("submit", function (event) {
      // A second press while the first is on its way would send the form twice: two
      // confirmation emails, two notifications.
      if (sheet.dataset.sending) event.preventDefault();
      sheet.dataset.sending = "1";
    });
    // Back to a page the browser kept: it may be sent again.
    window.addEventListener("pageshow", function () { delete sheet.dataset.sending; });
  }

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
  // embed.js may start after this page reported (it loads async): it asks again.
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.silverpool !== "measure") return;
    last = 0;
    report();
  });
})();
