// Staff → invite a person: the projects part is for representatives only, so it hides for other roles.
// Without JavaScript it simply stays visible (and is ignored for staff roles by the view).
(function () {
  const form = document.querySelector("[data-testid='invite-form']");
  if (!form) return;
  const role = form.querySelector("[data-role-select]");
  const projects = form.querySelector("[data-projects-for-role]");
  if (!role || !projects) return;
  const sync = function () {
    projects.hidden = role.value !== projects.dataset.projectsForRole;
  };
  role.addEventListener("change", sync);
  sync();
})();
