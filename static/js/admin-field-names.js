/* Accessible names for admin controls that Django and Select2 leave unnamed, found by axe-core:
   fields in tabular inlines (a column header, no <label>) and Select2's own widgets (the
   autocomplete box and the search field of a multiple choice), which do not carry over the
   <select>'s label. Each gets an aria-label from its <label for> or its column header. Runs
   again when rows are added or Select2 redraws. Plain script, no build step. */
(function () {
  "use strict";

  function labelOf(control) {
    if (!control || !control.id) {
      return "";
    }
    var label = document.querySelector('label[for="' + control.id + '"]');
    if (label) {
      return label.textContent.replace(/[:：]\s*$/, "").trim();
    }
    var cell = control.closest("td[class*='field-']");
    var match = cell && cell.className.match(/field-(\S+)/);
    var header = match && cell.closest("table").querySelector("th.column-" + match[1]);
    return header ? header.textContent.trim() : "";
  }

  function name(element, text) {
    if (text && !element.hasAttribute("aria-label") && !element.hasAttribute("aria-labelledby")) {
      element.setAttribute("aria-label", text);
    }
  }

  function nameAll() {
    document.querySelectorAll(".tabular td input:not([type=hidden]), .tabular td select, .tabular td textarea")
      .forEach(function (control) {
        if (!document.querySelector('label[for="' + control.id + '"]')) {
          name(control, labelOf(control));
        }
      });
    document.querySelectorAll(".select2-container").forEach(function (container) {
      var select = container.previousElementSibling;
      var text = labelOf(select) || (select && select.getAttribute("aria-label")) || "";
      var selection = container.querySelector(".select2-selection--single");
      if (selection && text) {
        // Select2 names the box by its (possibly empty) rendered choice; name it by the field.
        selection.removeAttribute("aria-labelledby");
        name(selection, text);
      }
      container.querySelectorAll(".select2-search__field, [role=textbox]").forEach(function (field) {
        name(field, text);
      });
    });
  }

  function start() {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
