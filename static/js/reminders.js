// The top bar's bell (templates/base.html, crm/views/reminders.py): htmx refreshes it every minute; a refresh
// while its dropdown is open would close the list under the user's pointer, so that one is skipped.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var bell = document.getElementById("reminder-bell");
    if (bell && event.target === bell && bell.querySelector(".dropdown-menu.show")) {
      event.preventDefault();
    }
  });
})();
