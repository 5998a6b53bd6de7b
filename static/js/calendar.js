// The task calendar: a week and a month of planned tasks (FullCalendar); dragging a task to another day POSTs the
// new day to the task's move URL, and the calendar puts it back when the server refuses.
(function () {
  "use strict";

  var el = document.getElementById("task-calendar");
  if (!el || !window.FullCalendar) { return; }
  var errorBox = document.getElementById("calendar-error");

  function showError(text) {
    errorBox.textContent = text;
    errorBox.classList.remove("d-none");
  }

  function firstError(body) {
    var errors = body && body.errors;
    if (!errors) { return ""; }
    for (var key in errors) {
      if (Object.prototype.hasOwnProperty.call(errors, key) && errors[key].length) { return errors[key][0]; }
    }
    return "";
  }

  function move(info) {
    errorBox.classList.add("d-none");
    var day = info.event.startStr.slice(0, 10);  // the wall-clock day in the department's time zone
    var body = new URLSearchParams();
    body.append("day", day);
    fetch(info.event.extendedProps.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": el.dataset.csrfToken, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (response) {
      if (response.ok) { el.dataset.lastMoved = info.event.id + ":" + day; return null; }
      return response.json().catch(function () { return {}; }).then(function (data) {
        info.revert();
        showError(firstError(data) || el.dataset.errorText);
      });
    }).catch(function () {
      info.revert();
      showError(el.dataset.errorText);
    });
  }

  // A phone gets the week as a list (seven columns do not fit 375 px); the month stays a grid.
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  var calendar = new window.FullCalendar.Calendar(el, {
    locale: "ru",
    firstDay: 1,
    timeZone: el.dataset.timeZone,
    initialView: narrow ? "listWeek" : "dayGridWeek",
    headerToolbar: narrow
      ? { left: "title", right: "prev,next" }
      : { left: "prev,next today", center: "title", right: "dayGridWeek,dayGridMonth" },
    footerToolbar: narrow ? { left: "today", right: "listWeek,dayGridMonth" } : false,
    dayMaxEvents: 4,
    height: "auto",
    editable: true,
    eventDurationEditable: false,
    displayEventEnd: false,
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventDisplay: "block",
    events: { url: el.dataset.feedUrl },
    eventAllow: function (dropInfo) {
      return dropInfo.startStr.slice(0, 10) >= el.dataset.today;
    },
    eventDrop: move,
    loading: function (isLoading) { el.dataset.loading = isLoading ? "1" : "0"; },
    // The arrows are drawn icons inside buttons that are named already ("Пред", "След"): hide them from readers.
    datesSet: function () {
      Array.prototype.forEach.call(el.querySelectorAll(".fc-icon"), function (icon) {
        icon.removeAttribute("role");
        icon.setAttribute("aria-hidden", "true");
      });
    }
  });
  calendar.render();
  window.taskCalendar = calendar;
})();
