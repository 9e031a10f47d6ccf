// Follows an export's progress without reloading the page; without JavaScript the page reloads itself.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("export");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        document.getElementById("export-label").textContent = state.label.charAt(0).toUpperCase() + state.label.slice(1);
        document.getElementById("export-percent").textContent = state.percent;
        document.getElementById("export-bar").value = state.percent;
        document.getElementById("export-ready").hidden = state.status !== "ready";
        document.getElementById("export-failed").hidden = state.status !== "failed";
        if (!state.finished) {
          window.setTimeout(poll, 1500);
        } else if (document.getElementById("export-waiting")) {
          document.getElementById("export-waiting").hidden = true;
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
});
