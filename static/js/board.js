// The pipeline board and the deal card's stage buttons: every move goes to /pipeline/deals/<id>/move/,
// which calls the same service as the API. The server answers JSON: ok, a refusal message, or a small form.
(function () {
  "use strict";

  var board = document.getElementById("board");
  var modalEl = document.getElementById("move-modal");
  var modalContent = document.getElementById("move-modal-content");
  var errorBox = document.getElementById("move-error");
  var pending = null; // {item, from, oldIndex, done}: the dragged card, to put back if the move does not happen

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function postMove(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: response.statusText || String(response.status) };
      });
    });
  }

  function showError(message) {
    if (!errorBox) { window.alert(message); return; }
    errorBox.querySelector(".move-error-text").textContent = message;
    errorBox.classList.remove("d-none");
    errorBox.scrollIntoView({ block: "nearest" });
  }

  function hideError() {
    if (errorBox) { errorBox.classList.add("d-none"); }
  }

  function modal() {
    var Modal = window.tabler && (window.tabler.Modal || (window.tabler.bootstrap && window.tabler.bootstrap.Modal));
    return Modal ? Modal.getOrCreateInstance(modalEl) : null;
  }

  function snapBack() {
    if (!pending || pending.done) { return; }
    var from = pending.from;
    var before = from.children[pending.oldIndex] || null;
    from.insertBefore(pending.item, before);
    pending.done = true;
  }

  function afterSuccess() {
    if (pending) { pending.done = true; }
    if (board) {
      refreshColumns();
    } else {
      window.location.reload();
    }
  }

  function refreshColumns() {
    var url = board.getAttribute("data-columns-url");
    board.classList.add("is-busy");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        board.innerHTML = html;
        initSortables();
      })
      .finally(function () { board.classList.remove("is-busy"); });
  }

  // One answer of the move endpoint, from a drop, a button or the small form.
  function handleAnswer(answer) {
    if (answer.ok) {
      var instance = modal();
      if (instance && modalEl.classList.contains("show")) {
        if (pending) { pending.done = true; }
        instance.hide();
      }
      hideError();
      afterSuccess();
    } else if (answer.form) {
      modalContent.innerHTML = answer.form;
      var shown = modal();
      if (shown && !modalEl.classList.contains("show")) { shown.show(); }
      var first = modalContent.querySelector(".is-invalid, input:not([type=hidden]), select, textarea");
      if (first) { window.setTimeout(function () { first.focus(); }, 200); }
    } else {
      var open = modal();
      if (open && modalEl.classList.contains("show")) { open.hide(); }
      snapBack();
      showError(answer.message || "");
    }
  }

  function onDrop(event) {
    if (event.to === event.from) { return; }
    var item = event.item;
    pending = { item: item, from: event.from, oldIndex: event.oldIndex, done: false };
    var body = new FormData();
    body.append("stage", event.to.getAttribute("data-stage"));
    postMove(item.getAttribute("data-move-url"), body).then(handleAnswer, function () {
      snapBack();
      showError(modalEl ? modalEl.getAttribute("data-network-error") || "Network error" : "Network error");
    });
  }

  function initSortables() {
    if (!board || !window.Sortable) { return; }
    board.querySelectorAll(".board-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "deals",
        animation: 120,
        draggable: ".deal-card",
        ghostClass: "sortable-ghost",
        chosenClass: "sortable-chosen",
        sort: false,
        forceFallback: true,
        fallbackTolerance: 3,
        onEnd: onDrop
      });
    });
  }

  if (modalEl) {
    // Closing the small form without moving puts the card back where it was.
    modalEl.addEventListener("hidden.bs.modal", function () {
      snapBack();
      modalContent.innerHTML = "";
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-move-form]") && modalEl && modalEl.contains(form)) {
      event.preventDefault();
      postMove(form.action, new FormData(form)).then(handleAnswer);
    } else if (form.matches && form.matches("form[data-move-trigger]")) {
      event.preventDefault();
      pending = null;
      hideError();
      postMove(form.action, new FormData(form)).then(handleAnswer);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-dismiss-move-error]")) { hideError(); }
  });

  initSortables();
})();
