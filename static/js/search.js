// The top bar's search (templates/base.html, crm/views/search.py): htmx fills the dropdown as the user types;
// this file makes it reachable from the keyboard (arrows, Escape) and closes it on a click elsewhere.
(function () {
  "use strict";

  function parts() {
    var form = document.querySelector("[data-testid=top-search]");
    if (!form) { return null; }
    return { form: form, input: form.querySelector("input[name=q]"), results: document.getElementById("top-search-results") };
  }

  function menu(p) { return p.results.querySelector(".dropdown-menu"); }
  function links(p) { return Array.prototype.slice.call(p.results.querySelectorAll("a")); }
  function setOpen(p, open) {
    var m = menu(p);
    if (m) { m.classList.toggle("show", open); }
  }

  document.addEventListener("keydown", function (event) {
    var p = parts();
    if (!p || !p.form.contains(event.target)) { return; }
    var items = links(p);
    var index = items.indexOf(document.activeElement);
    if (event.key === "Escape") {
      setOpen(p, false);
      p.input.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" && items.length) {
      setOpen(p, true);
      items[Math.min(index + 1, items.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && index >= 0) {
      (index === 0 ? p.input : items[index - 1]).focus();
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var p = parts();
    if (p && !p.form.contains(event.target)) { setOpen(p, false); }
  });

  document.addEventListener("focusin", function (event) {
    var p = parts();
    if (p && event.target === p.input) { setOpen(p, true); }
  });
})();
