// Staff email preferences: when the level changes, the per-event switches show at once what will really be
// sent. A switch whose event the level does not let through (its `data-email-levels` lacks the level) is
// turned off, disabled and marked "not sent at this level"; its own choice (`data-choice`) comes back when a
// level lets it through again. The hidden `shown_level` tells the server which level the switches were shown
// for, so it reads only the switches that were enabled (the page renders the same state without JavaScript).
(function () {
  "use strict";

  const radios = document.querySelectorAll("input[data-email-level]");
  if (!radios.length) return;
  const shown = document.querySelector("input[name='shown_level']");

  function apply() {
    const checked = document.querySelector("input[data-email-level]:checked");
    if (!checked) return;
    const level = checked.value;
    document.querySelectorAll("input[data-email-levels]").forEach(function (input) {
      const allowed = input.dataset.emailLevels.split(" ").indexOf(level) !== -1;
      const note = input.closest(".form-check").querySelector("[data-email-blocked-note]");
      if (!allowed && !input.disabled) {
        input.dataset.choice = input.checked ? "1" : "0";
        input.checked = false;
        input.disabled = true;
      } else if (allowed && input.disabled) {
        input.disabled = false;
        input.checked = input.dataset.choice === "1";
      }
      if (note) note.hidden = allowed;
    });
    if (shown) shown.value = level;
  }

  radios.forEach(function (radio) { radio.addEventListener("change", apply); });
  apply();
})();
