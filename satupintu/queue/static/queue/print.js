// Ticket page: a print button; from the kiosk the ticket prints by itself once.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("kios") && !params.get("dicetak")) {
    params.set("dicetak", "1");
    window.history.replaceState(null, "", "?" + params.toString());
    window.setTimeout(function () { window.print(); }, 300);
  }
})();
