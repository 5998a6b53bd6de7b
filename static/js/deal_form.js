// The deal form's product lines: "Add a line" copies the empty line of the formset and counts it in TOTAL_FORMS.
(function () {
  "use strict";

  var button = document.querySelector("[data-add-line]");
  var template = document.getElementById("deal-line-template");
  var body = document.querySelector("[data-lines]");
  var total = document.querySelector("input[name=lines-TOTAL_FORMS]");
  if (!button || !template || !body || !total) { return; }
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var select = body.lastElementChild && body.lastElementChild.querySelector("select");
    if (select) { select.focus(); }
  });
})();
