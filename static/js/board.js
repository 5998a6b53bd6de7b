// The pipeline board and the deal card's stage buttons: every move goes to /pipeline/deals/<id>/move/,
// which calls the same service as the API. The server answers JSON: ok, a refusal message, or a small form.
(function () {
  "use strict";

  var board = document.getElementById("board");
  var modalEl = document.getElementById("move-modal");
  var modalContent = document.getElementById("move-modal-content");
  var errorBox = document.getElementById("move-error");
  var pending = null; // {item, from, oldIndex, done}: the dragged card, to put back if the move does not happen
  var menuCard = null; // the card whose "move to" menu sent the move: its error shows in it, its menu gets focus back

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

  // The refusal shows next to the card it is about (the board does not scroll away); a drag's also in the alert above.
  function showError(message, card, onlyCard) {
    var box = card && card.querySelector("[data-card-error]");
    if (box) {
      box.textContent = message;
      box.classList.remove("d-none");
    }
    if (box && onlyCard) { return; }
    if (!errorBox) { if (!box) { window.alert(message); } return; }
    errorBox.querySelector(".move-error-text").textContent = message;
    errorBox.classList.remove("d-none");
    if (!box) { errorBox.scrollIntoView({ block: "nearest" }); }
  }

  function hideError() {
    if (errorBox) { errorBox.classList.add("d-none"); }
    document.querySelectorAll("[data-card-error]").forEach(function (box) {
      box.textContent = "";
      box.classList.add("d-none");
    });
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

  // Where the user was: the page's and the board's scroll, each column's scroll and how many pages it shows.
  function boardState() {
    var state = { x: window.scrollX, y: window.scrollY, left: 0, lists: {}, open: [] };
    var row = board.querySelector(".board");
    if (row) { state.left = row.scrollLeft; }
    board.querySelectorAll(".board-cards[data-stage]").forEach(function (list) {
      state.lists[list.getAttribute("data-stage")] = list.scrollTop;
    });
    board.querySelectorAll(".board-column-more[data-pages]").forEach(function (more) {
      var pages = parseInt(more.getAttribute("data-pages"), 10) || 1;
      if (pages > 1) { state.open.push(more.id.replace(/^more-/, "") + ":" + pages); }
    });
    return state;
  }

  function restoreState(state) {
    var row = board.querySelector(".board");
    if (row) { row.scrollLeft = state.left; }
    board.querySelectorAll(".board-cards[data-stage]").forEach(function (list) {
      var top = state.lists[list.getAttribute("data-stage")];
      if (top) { list.scrollTop = top; }
    });
    window.scrollTo(state.x, state.y);
  }

  // After a move the board reloads its columns (the counts and totals come from the server) and stays where it was.
  function refreshColumns() {
    var state = boardState();
    var url = board.getAttribute("data-columns-url");
    var extra = state.open.map(function (value) { return "open=" + encodeURIComponent(value); }).join("&");
    if (extra) { url += (url.indexOf("?") === -1 ? "?" : "&") + extra; }
    var focusId = menuCard ? menuCard.getAttribute("data-deal-id") : null;
    menuCard = null;
    board.style.minHeight = board.offsetHeight + "px"; // no jump while the columns are replaced
    board.classList.add("is-busy");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        board.innerHTML = html;
        if (window.htmx) { window.htmx.process(board); }
        initSortables();
        restoreState(state);
        if (focusId) {
          var menu = board.querySelector("[data-deal-id='" + focusId + "'] select[name=stage]");
          if (menu) {
            menu.focus({ preventScroll: true });
            menu.scrollIntoView({ block: "nearest", inline: "nearest" });
          }
        }
      })
      .finally(function () {
        board.classList.remove("is-busy");
        board.style.minHeight = "";
      });
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
      var card = menuCard || (pending && pending.item);
      snapBack();
      showError(answer.message || "", card, Boolean(menuCard));
      var menu = card && card.querySelector("select[name=stage]");
      if (menuCard && menu) { menu.focus({ preventScroll: true }); }
    }
  }

  function onDrop(event) {
    if (event.to === event.from) { return; }
    var item = event.item;
    pending = { item: item, from: event.from, oldIndex: event.oldIndex, done: false };
    menuCard = null;
    hideError();
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
        filter: ".deal-card-move",
        preventOnFilter: false,
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
      var menu = menuCard && menuCard.querySelector("select[name=stage]");
      if (menu) { menu.focus({ preventScroll: true }); }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-move-form]") && modalEl && modalEl.contains(form)) {
      event.preventDefault();
      postMove(form.action, new FormData(form)).then(handleAnswer);
    } else if (form.matches && form.matches("form[data-move-trigger]")) {
      event.preventDefault();
      var stage = form.querySelector("select[name=stage]");
      if (stage && !stage.value) { stage.focus(); return; }
      pending = null;
      hideError();
      menuCard = form.closest(".deal-card");
      postMove(form.action, new FormData(form)).then(handleAnswer);
    }
  });

  // Enter on a card's "move to" list sends the move, as the button next to it does.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.matches && target.matches(".deal-card-move select[name=stage]")) {
      event.preventDefault();
      if (target.form.requestSubmit) { target.form.requestSubmit(); } else { target.form.submit(); }
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-dismiss-move-error]")) { hideError(); }
  });

  initSortables();
})();
