// The counter page's camera scan: progressive enhancement. The "Scan" button appears only where the browser
// has BarcodeDetector with QR codes and a camera; typing the code always works. A QR holds the code itself or
// a link ending in it; the code field gets what was read and the phone field the focus.
(function () {
  "use strict";
  var button = document.querySelector("[data-scan-button]");
  var field = document.getElementById("id_code");
  if (!button || !field || !("BarcodeDetector" in window) || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var box = document.querySelector("[data-scanner]");
  var video = document.querySelector("[data-scan-video]");
  var stream = null;
  var timer = null;

  function codeFrom(text) {
    var value = (text || "").trim();
    var parts = value.split(/[\/?#=]/).filter(Boolean);
    return parts.length ? parts[parts.length - 1] : value;
  }

  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    box.classList.add("d-none");
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) { return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        box.classList.remove("d-none");
        return video.play();
      }).then(function () {
        timer = window.setInterval(function () {
          detector.detect(video).then(function (found) {
            if (found.length) {
              field.value = codeFrom(found[0].rawValue);
              stop();
              var next = document.getElementById("id_phone");
              if (next) { next.focus(); }
            }
          }).catch(function () {});
        }, 300);
      }).catch(function () { stop(); });
    });
    document.querySelector("[data-scan-stop]").addEventListener("click", stop);
  }).catch(function () {});
})();
