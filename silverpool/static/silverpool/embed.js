// Silverpool embed script, for the page that shows a form in an iframe:
//   <iframe src="https://crm.example.com/f/abc/?embed=1" data-silverpool-form="abc"></iframe>
//   <script src="https://crm.example.com/static/silverpool/embed.js" async></script>
// It sizes each such iframe to its form's height and passes the page's campaign
// parameters (utm_*, ref) on to the form, so they are recorded with the submission.
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : null;
  var CAMPAIGN = /^(utm_[a-z]+|ref)$/;

  function frames() {
    return document.querySelectorAll("iframe[data-silverpool-form]");
  }

  function passCampaign(frame) {
    if (frame.dataset.silverpoolReady) return;
    frame.dataset.silverpoolReady = "1";
    var page = new URLSearchParams(window.location.search);
    var src = new URL(frame.src, window.location.href);
    var changed = false;
    page.forEach(function (value, key) {
      if (CAMPAIGN.test(key) && !src.searchParams.has(key)) {
        src.searchParams.set(key, value);
        changed = true;
      }
    });
    if (changed) frame.src = src.toString();
    // A form that loaded before this script did reported its height to nobody.
    else if (frame.contentWindow) {
      frame.contentWindow.postMessage({ silverpool: "measure" }, origin || "*");
    }
  }

  window.addEventListener("message", function (event) {
    if (origin && event.origin !== origin) return;
    var data = event.data;
    if (!data || data.silverpool !== "height" || typeof data.height !== "number") return;
    frames().forEach(function (frame) {
      // Only the frame's own page may size it.
      if (frame.dataset.silverpoolForm === data.form && frame.contentWindow === event.source) {
        frame.style.height = Math.max(0, Math.min(data.height, 20000)) + "px";
      }
    });
  });

  frames().forEach(passCampaign);
})();
