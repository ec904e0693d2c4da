// Give every Bokeh slider handle an accessible name, the slider's visible title
// ("decay γ: 0.90" names the handle "decay γ"), and keep its spoken value equal to the
// displayed one (a log-scale slider moves an index but shows a learning rate). BokehJS
// renders widgets inside shadow roots and leaves the handles unnamed, so screen readers
// would announce only "slider".
function labelSliders(root) {
  let labelled = 0;
  for (const el of root.querySelectorAll("*")) {
    if (!el.shadowRoot) {
      continue;
    }
    const title = el.shadowRoot.querySelector(".bk-slider-title");
    const handle = el.shadowRoot.querySelector('[role="slider"]');
    if (title && handle && !handle.hasAttribute("aria-label")) {
      handle.setAttribute("aria-label", title.textContent.split(":")[0].trim());
      const shown = title.querySelector(".bk-slider-value");
      const sync = () => {
        if (handle.getAttribute("aria-valuetext") !== shown.textContent) {
          handle.setAttribute("aria-valuetext", shown.textContent);
        }
      };
      sync();
      const observer = new MutationObserver(sync);
      observer.observe(shown, { childList: true, characterData: true, subtree: true });
      observer.observe(handle, { attributeFilter: ["aria-valuetext"] });
    }
    if (title && handle) {
      labelled += 1;
    }
    labelled += labelSliders(el.shadowRoot);
  }
  return labelled;
}

function labelWhenRendered(expected, triesLeft) {
  if (labelSliders(document) < expected && triesLeft > 0) {
    requestAnimationFrame(() => labelWhenRendered(expected, triesLeft - 1));
  }
}
