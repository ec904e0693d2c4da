/*
 * The browser side of the book's explorers. Each file adds to one namespace,
 *   globalThis.D2LExplorers = {rules, controls, LocalModel, compute, views, ui, render, mountAll}
 * in the order d2l_utils/explorers/base.py's SCRIPTS gives; the website and a notebook load
 * them as one bundle. They are classic scripts, not ES modules: the website must also work
 * when opened from file://, where Chromium blocks module scripts. The core (core/, compute/)
 * uses no DOM and no d3, so the tests run it in Node; the views (views/) use d3 v7 (the
 * vendored UMD build, global `d3`).
 *
 * On the website, mountAll() turns every explorer element of the page into an explorer
 * driven by a LocalModel, which recomputes the results in the browser. In a notebook,
 * anywidget calls render() with the widget's model and Python computes the results; a view
 * only reads and writes the model, so it works the same whether results come at once or later.
 */
(() => {
  "use strict";
  globalThis.D2LExplorers ??= { version: "2.0.0", compute: {}, views: {} };
})();
