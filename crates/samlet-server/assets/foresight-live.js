// Presenter screen: poll the live counts twice a second and update them in
// place; reload once the session is closed so the results appear. Without
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
        if (joined) { joined.textContent = String(s.joined); }
        if (voted) { voted.textContent = String(s.voted); }
        if (!s.open) { window.location.reload(); }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(tick, 500); });
  }
  window.setTimeout(tick, 500);
})();
