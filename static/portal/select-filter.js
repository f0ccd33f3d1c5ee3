// A search box above a long <select data-select-filter="placeholder"> (the profile's time zone): typing keeps
// the options whose text or value holds every typed word, in any case ("моск", "utc+5", "new york"), and shows
// them as an open list; the chosen option always stays, so the form never changes value behind the person's
// back. Without JavaScript the select works as it is. No inline script (CSP): templates include this file.
(function () {
  "use strict";

  function fold(text) {
    return text.toLocaleLowerCase().replace(/ё/g, "е").replace(/_/g, " ");
  }

  function enhance(select) {
    const groups = Array.from(select.children).map(function (node) {
      return { node: node, options: node.tagName === "OPTGROUP" ? Array.from(node.children) : null };
    });
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1";
    search.placeholder = select.dataset.selectFilter;
    search.setAttribute("aria-label", select.dataset.selectFilter);
    search.setAttribute("aria-controls", select.id);
    search.setAttribute("autocomplete", "off");
    search.setAttribute("data-testid", "select-filter");
    select.before(search);

    function matches(option, words, chosen) {
      if (option.value === chosen || !words.length) return true;
      const text = fold(option.textContent + " " + option.value);
      return words.every(function (word) { return text.includes(word); });
    }

    search.addEventListener("input", function () {
      const chosen = select.value; // moving options around must not change it
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      const kept = [];
      groups.forEach(function (group) {
        if (group.options === null) {
          if (matches(group.node, words, chosen)) { kept.push(group.node); shown += 1; }
          return;
        }
        const options = group.options.filter(function (option) { return matches(option, words, chosen); });
        group.node.replaceChildren.apply(group.node, options);
        if (options.length) { kept.push(group.node); shown += options.length; }
      });
      select.replaceChildren.apply(select, kept);
      if (words.length) {
        select.size = Math.max(2, Math.min(shown + kept.length, 10));
      } else {
        select.removeAttribute("size");
      }
      select.value = chosen;
    });
    // Enter in the search box must not submit the form half-chosen.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  document.querySelectorAll("select[data-select-filter]").forEach(enhance);
})();
