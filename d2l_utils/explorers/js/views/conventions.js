/*
 * The conventions explorer's view: one epoch of the section's training under each framework's
 * RMSProp (and the reader's, with ε placed and sized by the controls): the parameters' gap to
 * d2l's run after each step, and the training loss.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { clippedLine, createPanel, createView, drawAxes, finiteArray, integerTicks, logTicks,
    panelWidths, swatch } = X.ui;
  const FLOOR = 1e-12; // a gap of exactly zero is drawn here (d2l's own run, say)

  const conventionsView = (model, el) => {
    const view = createView(model, el, "conventions");
    const { config } = view;
    const names = [...Object.keys(config.conventions), "yours"];
    const labelOf = (name) => (name === "yours" ? config.yours.label : config.conventions[name].label);
    const describe = (name) => {
      const c = name === "yours" ? { ...config.yours, eps: view.control("eps"), place: view.control("place") }
        : config.conventions[name];
      return `${labelOf(name)} (γ ${c.gamma}, ε ${c.eps.toExponential(0)} ${c.place} the root)`;
    };
    const showPlace = view.choice(view.controlsBox, {
      name: "place", text: "your ε goes", options: { inside: "inside the root: √(s + ε)", outside: "outside: √s + ε" },
    });
    const showEps = view.slider(view.controlsBox, {
      name: "eps", text: "your ε", format: (v) => `ε = ${v.toExponential(0)}`, quantity: "eps",
    });
    const panels = view.root.append("div").attr("class", "d2l-x-panels");
    const gapPanel = createPanel(view, panels, "Largest parameter gap to d2l's run, after each step (log scale)",
      "Line chart of each run's largest parameter difference from d2l's run against the step");
    const lossPanel = createPanel(view, panels, "Training loss over the epoch",
      "Line chart of each run's loss on all the data against the step");
    const lines = {};
    for (const name of names) {
      const style = config.styles[name];
      const attrs = (path) => path.attr("fill", "none").attr("stroke", style.color).attr("stroke-width", 2.2)
        .attr("stroke-dasharray", style.dash || null).attr("data-convention", name);
      lines[name] = { gap: attrs(gapPanel.clipped.append("path")), loss: attrs(lossPanel.clipped.append("path")) };
    }
    const readout = view.root.append("ul").attr("class", "readout d2l-x-readout");
    const items = {};
    for (const name of names) {
      const li = readout.append("li").attr("data-convention", name);
      swatch(li, config.styles[name]);
      items[name] = li.append("span");
    }
    view.root.append("p").attr("class", "d2l-x-hint").text(
      "Move your ε up towards 1 and switch where it goes: the two placements part ways once ε is no " +
      "longer small against s. PyTorch's gap comes mostly from its decay of 0.99.");

    const draw = () => {
      const gaps = model.get("gaps") ?? {};
      const losses = model.get("losses") ?? {};
      const steps = Math.max(1, ...names.map((n) => finiteArray(gaps[n]).length));
      for (const [panel, key] of [[gapPanel, "gap"], [lossPanel, "loss"]]) {
        const [[p0, q0], [p1, q1]] = panel.extent();
        // The gaps on a log scale of steps: the first steps, where the conventions differ most, get room.
        const x = key === "gap" ? d3.scaleLog([1, steps], [p0, p1]) : d3.scaleLinear([0, steps], [p0, p1]);
        let y;
        const series = {};
        if (key === "gap") {
          for (const n of names) series[n] = finiteArray(gaps[n]).map((v, i) => [i + 1, Math.max(v, FLOOR)]);
          const top = d3.max(Object.values(series).flat(), (d) => d[1]) ?? 1;
          y = d3.scaleLog([FLOOR, Math.max(top * 2, 1e-6)], [q1, q0]);
        } else {
          for (const n of names) series[n] = finiteArray(losses[n]).map((v, i) => [i * config.loss_every, v]);
          const all = Object.values(series).flat().map((d) => d[1]).filter(Number.isFinite);
          y = d3.scaleLinear([Math.min(...all, 0.24), Math.max(...all, 0.3)], [q1, q0]).nice();
        }
        drawAxes(panel.axes, {
          x, y, width: panel.width, height: panel.height, xLabel: "step", yLabel: key === "gap" ? "gap" : "loss",
          xTicks: key === "gap" ? { values: [1, 2, 5, 10, 20, 50, 100].filter((v) => v <= steps), format: String }
            : integerTicks(x, Math.max(3, Math.floor((p1 - p0) / 60))),
          yTicks: key === "gap" ? logTicks(y, Math.max(3, Math.floor((q1 - q0) / 40))) : undefined,
        });
        const extent = [[p0 - 10, q0 - 10], [p1 + 10, q1 + 10]];
        for (const n of names) {
          const hidden = key === "gap" && n === names[0];
          lines[n][key].attr("d", hidden ? null : clippedLine(series[n].map(([s, v]) => [x(s), y(v)]), extent));
        }
      }
      for (const n of names) {
        const g = finiteArray(gaps[n]);
        const l = finiteArray(losses[n]);
        const largest = g.length ? d3.maxIndex(g) : -1;
        const final = l.length ? `, final loss ${l[l.length - 1].toFixed(4)}` : "";
        items[n].text(n === names[0]
          ? `${describe(n)}: the reference${final}`
          : `${describe(n)}: gap after step 1 ${(g[0] ?? NaN).toExponential(1)}, largest ` +
            `${(g[largest] ?? NaN).toExponential(1)} at step ${largest + 1}${final}`);
      }
    };

    view.onRedraw((changed) => {
      showPlace();
      showEps();
      draw();
      if (view.hasResults(changed)) view.latency.done();
    });
    view.onResize(() => {
      const width = panelWidths(view, panels.node(), 2);
      gapPanel.resize(width);
      lossPanel.resize(width);
      draw();
    });
    return view.cleanup;
  };

  X.views.conventions = conventionsView;
})();
