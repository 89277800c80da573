// Kiosk: scan the booking QR with the camera where the browser has BarcodeDetector;
// otherwise (and always) the short code can be typed. Works without this file.
(function () {
  "use strict";
  var input = document.getElementById("code");
  var form = document.getElementById("checkin-form");
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scanner-video");
  if (!input || !button || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  button.hidden = false;
  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.parentElement.hidden = true;
  }
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.parentElement.hidden = false;
      return video.play();
    }).then(function () {
      var tick = function () {
        if (!stream) { return; }
        detector.detect(video).then(function (codes) {
          if (codes.length) { input.value = codes[0].rawValue; stop(); form.submit(); }
          else { window.requestAnimationFrame(tick); }
        }).catch(function () { window.setTimeout(tick, 300); });
      };
      tick();
    }).catch(function () { stop(); input.focus(); });
  });
  window.addEventListener("pagehide", stop);
})();
