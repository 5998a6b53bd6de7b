// Small behaviours shared by every page. No inline scripts: pages stay friendly to a strict CSP.
(function () {
  "use strict";

  // <form data-confirm="Question?"> asks before submitting (an empty value asks nothing).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // A table wider than its card scrolls sideways: keyboard users reach it with Tab and scroll it with the arrows
  // (a focusable, named region), after a load and after every htmx swap.
  function focusableScrollers(root) {
    var boxes = (root || document).querySelectorAll(".table-responsive, .board");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        var card = box.closest(".card");
        var title = card && card.querySelector(".card-title");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (title) { box.setAttribute("aria-label", title.textContent.trim()); }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusableScrollers(event.target); });
  window.addEventListener("resize", function () { focusableScrollers(document); });
})();
