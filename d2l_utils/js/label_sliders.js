// Give every Bokeh slider handle an accessible name, the slider's visible title
// ("decay γ: 0.90" names the handle "decay γ"), and make its spoken value the displayed
// one (a log-scale slider moves an index but shows a learning rate). BokehJS renders
// widgets inside shadow roots and leaves the handles unnamed, so screen readers would
// announce only "slider". The explorers call this once rendered and after every move.
function labelSliders(root) {
  let labelled = 0;
  for (const el of root.querySelectorAll("*")) {
    if (!el.shadowRoot) {
      continue;
    }
    const title = el.shadowRoot.querySelector(".bk-slider-title");
    const handle = el.shadowRoot.querySelector('[role="slider"]');
    if (title && handle) {
      const [name, value] = title.textContent.split(":").map((part) => part.trim());
      handle.setAttribute("aria-label", name);
      handle.setAttribute("aria-valuetext", value);
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
