// Silverpool embed script, for the page that shows a form in an iframe:
//   <iframe src="https://crm.example.com/f/abc/?embed=1" data-silverpool-form="abc"></iframe>
//   <script src="https://crm.example.com/static/silverpool/embed.js" async></script>
// It sizes each such iframe to its form's height and hands the page's campaign parameters
// (utm_*, ref) to the form, so they are recorded with the submission.
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : null;
  var CAMPAIGN = /^(utm_[a-z]+|ref)$/;

  function frames() {
    return document.querySelectorAll("iframe[data-silverpool-form]");
  }

  // Handed over by message, not by changing the iframe's address: a new address loads the
  // form again, and a form that had loaded first lost what the candidate had typed (or,
  // sent before the reload, went without the campaign).
  function campaign() {
    var found = {};
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      if (CAMPAIGN.test(key)) found[key] = value;
    });
    return found;
  }

  window.addEventListener("message", function (event) {
    if (origin && event.origin !== origin) return;
    var data = event.data;
    if (!data || data.silverpool !== "height" || typeof data.height !== "number") return;
    frames().forEach(function (frame) {
      // Only the frame's own page may size it.
      if (frame.dataset.silverpoolForm === data.form && frame.contentWindow === event.source) {
        frame.style.height = Math.max(0, Math.min(data.height, 20000)) + "px";
        // A height means the form's page is listening: each page it shows gets the campaign.
        event.source.postMessage({ silverpool: "campaign", campaign: campaign() }, event.origin);
      }
    });
  });

  // A form that loaded before this script did reported its height to nobody.
  frames().forEach(function (frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ silverpool: "measure" }, origin || "*");
  });
})();
