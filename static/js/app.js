// Small behaviours shared by every page. No inline scripts: pages stay friendly to a strict CSP.
(function () {
  "use strict";

  // <form data-confirm="Question?"> asks before submitting (an empty value asks nothing).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();
