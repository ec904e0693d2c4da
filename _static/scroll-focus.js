/* A box that scrolls sideways is a tab stop while it scrolls, so that the keyboard can scroll
   it too, and only then (a box that fits is not one more stop on the way). The theme does this
   for code, outputs and tables, but only for those shown when the page loads: a code cell in
   a framework tab chosen later stays out of reach. Here every such box, and every formula
   (which scrolls on a narrow screen, site.css), is looked at again whenever its size changes,
   which it does when its tab is shown or the window resized. */
(() => {
  "use strict";
  const SCROLLERS = [
    ".bd-article pre",
    ".bd-article .cell_output > .output",
    ".bd-article .pst-scrollable-table-container",
    ".bd-article span.math",
    ".bd-article div.math mjx-container",
  ].join(", ");
  const mark = (box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
    } else if (box.hasAttribute("tabindex")) {
      box.tabIndex = -1;
    }
  };
  const start = () => {
    const watch = new ResizeObserver((entries) => entries.forEach((e) => mark(e.target)));
    document.querySelectorAll(SCROLLERS).forEach((box) => watch.observe(box));
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
