// Plan/fact and Tools 1 and 2: the print buttons (the plan/fact chart is drawn by charts.js).
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
