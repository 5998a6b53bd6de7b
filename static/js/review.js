// The head's pipeline review: its print view's button (the charts are drawn by charts.js).
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
