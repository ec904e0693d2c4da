/*
 * Entry points: render() for anywidget (a notebook) and the website alike, and mountAll(),
 * which the website's pages call with the class of their explorer elements (given by Python:
 * d2l_utils/explorers/base.py's mount_script).
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  // An explorer the browser cannot show is an error: said on the page and in the console.
  const refuse = (el, text) => {
    console.error(`D2LExplorers: ${text}`);
    const message = document.createElement("p");
    message.className = "d2l-x-error";
    message.textContent = text;
    el.append(message);
    return () => message.remove();
  };

  // render({model, el}) -> cleanup().
  const render = ({ model, el }) => {
    const kind = model.get("kind");
    const view = X.views[kind];
    if (!view || !X.compute[kind]) return refuse(el, `the browser has no explorer "${kind}"`);
    try {
      return view(model, el);
    } catch (error) {
      return refuse(el, `the explorer "${kind}" failed: ${error.message}`);
    }
  };

  // Mounts every explorer element (class `marker`) of `root` not mounted yet; returns them.
  // Each gets its place among the page's explorers of its kind (its key in the address and
  // in the prose's live numbers: "trajectory", then "trajectory1", ...), and the controls the
  // address gives it.
  const mountAll = (marker, root = document) => {
    const mounted = [];
    const seen = {};
    for (const el of root.querySelectorAll(`.${marker}`)) {
      const index = (seen[el.dataset.kind] = (seen[el.dataset.kind] ?? -1) + 1);
      if (el.d2lExplorer) continue;
      const fallback = el.querySelector(`.${marker}-fallback`);
      let state;
      try {
        state = JSON.parse(el.querySelector(`script.${marker}-state`)?.textContent ?? "");
      } catch {
        state = null;
      }
      if (!state) {
        if (fallback) fallback.textContent = "This explorer's data could not be read.";
        console.error("D2LExplorers: an explorer's data could not be read");
        continue;
      }
      fallback?.remove();
      let model;
      try {
        model = new X.LocalModel(state);
        model.place = { index, key: `${state.kind}${index || ""}` };
        const asked = X.page.fromAddress(model.place.key, state.config.controls);
        for (const [name, value] of Object.entries(asked)) model.set(name, value);
        const missing = state.config.results.some((name) => state[name] === undefined);
        if (missing || Object.keys(asked).length) model.save_changes();
      } catch (error) {
        refuse(el, error.message);
        continue;
      }
      el.d2lExplorer = { model, cleanup: render({ model, el }) };
      mounted.push(el.d2lExplorer);
    }
    return mounted;
  };

  Object.assign(X, { render, mountAll });
})();
