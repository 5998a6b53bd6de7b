// The import page: a file check or an import can take a while, so the button says so and cannot be pressed twice.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy-form") || event.defaultPrevented) {
      return;
    }
    var button = form.querySelector("[data-busy-text]");
    if (!button) {
      return;
    }
    if (form.getAttribute("data-busy") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-busy", "1");
    button.classList.add("btn-loading");
    button.setAttribute("aria-busy", "true");
    button.textContent = button.getAttribute("data-busy-text");
  });
})();
