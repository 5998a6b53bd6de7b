// "Log a call": the form opens in a modal (htmx loads it); a refused form comes back with its errors in place.
(function () {
  "use strict";

  var modalEl = document.getElementById("call-modal");
  if (!modalEl) { return; }

  function modal() {
    var tabler = window.tabler;
    var Modal = tabler && (tabler.Modal || (tabler.bootstrap && tabler.bootstrap.Modal));
    return Modal ? Modal.getOrCreateInstance(modalEl) : null;
  }

  // The server answers 400 with the form and its errors: swap it in like a normal answer.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "call-modal-content" && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "call-modal-content") { return; }
    var instance = modal();
    if (instance && !modalEl.classList.contains("show")) { instance.show(); }
    var first = modalEl.querySelector(".is-invalid, select, input:not([type=hidden]), textarea");
    if (first) { first.focus(); }
  });

  modalEl.addEventListener("hidden.bs.modal", function () {
    document.getElementById("call-modal-content").innerHTML = "";
  });
})();
