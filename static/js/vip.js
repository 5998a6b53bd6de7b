// The VIP questionnaire: an answer that could not be sent (no connection) says so under its field and is sent again
// as soon as the browser is back online; what was typed stays in the field. Texts come from the template.
(function () {
  "use strict";
  var pending = [];

  function statusOf(field) {
    return document.getElementById("status-" + field.getAttribute("data-question"));
  }

  document.addEventListener("htmx:sendError", function (event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-offline")) { return; }
    var status = statusOf(field);
    if (status) {
      status.textContent = field.getAttribute("data-offline");
      status.className = "small mt-1 text-warning";
    }
    if (pending.indexOf(field) < 0) { pending.push(field); }
  });

  window.addEventListener("online", function () {
    var again = pending;
    pending = [];
    again.forEach(function (field) { window.htmx.trigger(field, "change"); });
  });
})();
