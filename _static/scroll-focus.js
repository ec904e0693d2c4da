/* A formula wider than its line scrolls sideways (site.css). As the theme does for code and
   tables, such a formula is a tab stop while it scrolls, so that the keyboard can scroll it
   too, and only then (a formula that fits is not one more stop on the way). */
(() => {
  "use strict";
  const SCROLLERS = ".bd-article span.math, .bd-article div.math mjx-container";
  const mark = () => {
    for (const box of document.querySelectorAll(SCROLLERS)) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
      } else {
        box.removeAttribute("tabindex");
      }
    }
  };
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(mark, 200);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
