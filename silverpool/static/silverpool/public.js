// The public form page: move focus to the error summary so it is announced, send the form
// once however often the button is pressed, and, inside an iframe, tell the embedding page
// how tall the form is (embed.js resizes the iframe) and take its campaign parameters.
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
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data) return;
    if (event.data.silverpool === "measure") {
      // embed.js may start after this page reported (it loads async): it asks again.
      last = 0;
      report();
    } else if (event.data.silverpool === "campaign" && sheet) {
      addCampaign(event.data.campaign || {});
    }
  });

  // The embedding page's utm_* and ref, sent with the form. Only those names: any other
  // would reach the form's own fields. The frame's own address, rendered by the server, wins.
  function addCampaign(campaign) {
    Object.keys(campaign).forEach(function (name) {
      var value = campaign[name];
      if (!/^(utm_[a-z]+|ref)$/.test(name) || typeof value !== "string") return;
      if (sheet.querySelector('input[type="hidden"][name="' + name + '"]')) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      sheet.appendChild(input);
    });
  }
})();
