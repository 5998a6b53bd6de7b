// The client card's print views: the print button (the sales chart is drawn by charts.js).
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

// "New contact" / "New task" open the card's form where it lives and put the cursor in its first field.
(function () {
  "use strict";

  document.querySelectorAll("[data-open-details]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var details = document.getElementById(link.getAttribute("data-open-details"));
      if (!details) { return; }
      event.preventDefault();
      details.open = true;
      details.scrollIntoView({ block: "center" });
      var field = details.querySelector("input:not([type=hidden]), select, textarea");
      if (field) { field.focus(); }
    });
  });
})();
