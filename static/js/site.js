// Progressive enhancement on every page (the pages work without it):
// - on a narrow screen the header's links fold behind the "menu" button;
// - the search filters (a <details>, closed by default so a phone shows the results first)
//   open by themselves on a wide screen, where they sit beside the results.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    function show(open) {
      menu.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches) {
        show(false);
        toggle.focus();
      }
    });
  }

  function openFiltersWhenWide() {
    var panels = document.querySelectorAll("details.filters");
    for (var i = 0; i < panels.length; i++) {
      if (!narrow.matches) panels[i].open = true;
    }
  }

  setUpMenu();
  openFiltersWhenWide();
  if (narrow.addEventListener) narrow.addEventListener("change", openFiltersWhenWide);
})();
