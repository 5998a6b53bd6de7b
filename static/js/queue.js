// The head's reassignment queue: "select all" for the bulk bar and the count of the selected clients.
(function () {
  "use strict";

  var boxes = function () { return document.querySelectorAll("input[name=flags][form=bulk-form]"); };
  var all = document.querySelector("[data-select-all]");
  var count = document.querySelector("[data-selected-count]");

  function update() {
    var checked = 0;
    var list = boxes();
    list.forEach(function (box) { if (box.checked) { checked += 1; } });
    if (count) { count.textContent = String(checked); }
    if (all) {
      all.checked = list.length > 0 && checked === list.length;
      all.indeterminate = checked > 0 && checked < list.length;
    }
  }

  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[name=flags]")) { update(); }
  });
  update();
})();
