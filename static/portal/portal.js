// Misty Partner Portal — behaviour that templates opt into with data-* attributes (no inline scripts: CSP).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// <button data-copy-target="id">: copies the value of the element with that id (a key shown once).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy-target]");
  if (!button) { return; }
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) { return; }
  field.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).catch(function () {});
  }
});
