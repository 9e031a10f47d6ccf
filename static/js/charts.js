// Draws every plotly figure whose JSON was put in the page with json_script.
// The figure data sits in <script type="application/json">, so no inline script is needed (CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    element.textContent = "";
    window.Plotly.newPlot(element, figure.data, figure.layout, { responsive: true, displayModeBar: false });
  });
});
