// A table wider than the screen scrolls sideways inside its .table-scroll: only then
// does the region take keyboard focus (arrow keys scroll it) and a name for screen
// readers, from its data-label. A table that fits adds no tab stop.
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".table-scroll").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth) {
        region.tabIndex = 0;
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", region.getAttribute("data-label") || "");
      } else {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();
