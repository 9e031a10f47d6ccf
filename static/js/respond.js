// Small improvements for the questionnaire; every page also works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Show a question as soon as the answer it depends on is chosen on the same page.
  document.querySelectorAll("[data-condition]").forEach(function (question) {
    var form = question.closest("form");
    var name = question.dataset.condition;
    var values = question.dataset.conditionValues.split(" ");
    var inputs = form ? form.querySelectorAll('input[name="' + name + '"]') : [];
    if (!inputs.length) {
      return; // the condition is on an earlier page: the server already decided
    }
    var marker = form.querySelector('[data-shown-for="' + question.id + '"]');
    var update = function () {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      var show = checked !== null && values.indexOf(checked.value) !== -1;
      question.hidden = !show;
      if (marker) {
        marker.disabled = !show;
      }
    };
    inputs.forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  });

  // Move the focus to the list of problems, so screen readers announce it first.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // One tap sends the answers; a second tap while it is on its way does nothing.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "yes";
    });
  });
});
