// Progressive enhancement of the public search (htmx does the requests): keep keyboard focus
// on the facet a visitor just changed after the facets are re-rendered with new counts.
(function () {
  "use strict";
  var lastFocus = null;
  document.addEventListener("htmx:beforeRequest", function () {
    lastFocus = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (lastFocus) {
      var el = document.getElementById(lastFocus);
      if (el && el !== document.activeElement) el.focus();
    }
  });
})();
