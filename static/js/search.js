// Progressive enhancement of the public search (htmx does the requests): choosing a facet or
// a sort order submits the form at once, and keyboard focus stays on the facet just changed
// after the facets are re-rendered with their new counts.
(function () {
  "use strict";
  var lastFocus = null;
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.closest && target.closest(".facets") && target.form) {
      lastFocus = target.id;
      if (target.form.requestSubmit) target.form.requestSubmit();
      else target.form.submit();
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (lastFocus) {
      var el = document.getElementById(lastFocus);
      if (el && el !== document.activeElement) el.focus();
      lastFocus = null;
    }
  });
})();
