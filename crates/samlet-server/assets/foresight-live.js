// Presenter screen: poll the live counts twice a second and update them in
// place; reload once the session is closed or its results are revealed so
// they appear, and, while revealed results are shown, when a ballot arrives. Without
// JavaScript a <noscript> meta refresh does the same every two seconds.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) { return; }
  var url = root.getAttribute("data-live");
  var joined = document.getElementById("fs-joined");
  var voted = document.getElementById("fs-voted");
  function tick() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        var shown = root.hasAttribute("data-visible");
        if (!s.open || (s.results_visible && !shown) ||
            (shown && voted && String(s.voted) !== voted.textContent)) {
          window.location.reload();
          return;
        }
        if (joined) { joined.textContent = String(s.joined); }
        if (voted) { voted.textContent = String(s.voted); }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(tick, 500); });
  }
  window.setTimeout(tick, 500);
})();
