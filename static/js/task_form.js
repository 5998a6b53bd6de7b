// The new-task form offers the deals of the chosen client: choosing another client reloads the form with it.
(function () {
  "use strict";

  var form = document.querySelector("form[data-reload-client]");
  if (!form) { return; }
  var client = form.querySelector("select[name=client]");
  if (!client) { return; }
  client.addEventListener("change", function () {
    var url = new URL(window.location.href);
    url.searchParams.delete("deal");
    // What was typed so far comes back in the reloaded form.
    ["subject", "owner", "due_date", "due_time", "note"].forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.value) { url.searchParams.set(name, field.value); } else { url.searchParams.delete(name); }
    });
    if (client.value) { url.searchParams.set("client", client.value); } else { url.searchParams.delete("client"); }
    window.location.assign(url.toString());
  });
})();
