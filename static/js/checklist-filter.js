// A "find in this list" box above each long list of checkboxes inside an element
// marked data-checklist-filter. Typing hides the rows unless every typed word begins a
// word of the label (accents and case ignored); a checked row always stays in view, so the
// learner sees everything they chose. The label and the count come from the page,
// already translated. Without JavaScript the whole list shows, as before.
(function () {
  "use strict";
  var MIN_ROWS = 8;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function groups(scope) {
    var byName = {};
    scope.querySelectorAll("input[type=checkbox][name]").forEach(function (input) {
      (byName[input.name] = byName[input.name] || []).push(input);
    });
    return Object.keys(byName).map(function (name) {
      return byName[name];
    });
  }

  function addFilter(scope, inputs, number) {
    var rows = inputs.map(function (input) {
      var row = input.closest("div");
      return { input: input, row: row, words: words(row.textContent) };
    });
    var list = rows[0].row.parentNode;
    var id = "checklist-filter-" + number;
    var box = document.createElement("div");
    box.className = "checklist-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = scope.getAttribute("data-filter-label");
    var field = document.createElement("input");
    field.type = "search";
    field.id = id;
    field.autocomplete = "off";
    field.spellcheck = false;
    var count = document.createElement("p");
    count.className = "help";
    count.setAttribute("aria-live", "polite");
    box.append(label, field, count);
    list.parentNode.insertBefore(box, list);

    field.addEventListener("input", function () {
      var typed = words(field.value);
      var shown = 0;
      rows.forEach(function (entry) {
        var keep =
          entry.input.checked ||
          typed.every(function (start) {
            return entry.words.some(function (word) {
              return word.indexOf(start) === 0;
            });
          });
        entry.row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = typed.length
        ? scope
            .getAttribute("data-filter-count")
            .replace("{shown}", shown)
            .replace("{total}", rows.length)
        : "";
    });
    // Enter in the box filters; it must not submit the form around it.
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  var number = 0;
  document.querySelectorAll("[data-checklist-filter]").forEach(function (scope) {
    groups(scope).forEach(function (inputs) {
      if (inputs.length >= MIN_ROWS) {
        addFilter(scope, inputs, number++);
      }
    });
  });
})();
