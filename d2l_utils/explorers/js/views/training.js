/* The training explorer's view: the loss curve of RMSProp on the airfoil data, against the book's run. */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { clippedLine, createPanel, createView, dotsPath, drawAxes, etaText, finiteArray, gammaText, panelWidths, swatch } = X.ui;

  const trainingView = (model, el) => {
    const view = createView(model, el, "training");
    const { config } = view;
    const labels = { x: "epoch", y: "loss", ...config.labels };
    const current = { color: config.color ?? "#0072B2", dash: "", ...config.styles?.current };
    const styles = {
      book: { color: "#767676", dash: "5 3", width: 1.8, ...config.styles?.book },
      previous: { ...current, opacity: 0.35, ...config.styles?.previous },
      current,
    };
    const controls = view.controlsBox;
    const sliders = [
      view.slider(controls, { name: "eta", text: "learning rate", format: etaText, quantity: "eta" }),
      view.slider(controls, { name: "gamma", text: "decay rate", format: gammaText, quantity: "gamma" }),
    ];
    const panels = view.root.append("div").attr("class", "d2l-x-panels d2l-x-panels--single");
    const panel = createPanel(view, panels, "RMSProp on the airfoil data: the loss on the whole training set",
      "Line chart of the training loss against the epoch: the book's run, the previous run and this run");
    const curves = {};
    // The book's thin dashed curve goes on top: a run with the book's settings hides it otherwise.
    for (const key of ["previous", "current", "book"]) {
      const style = styles[key];
      curves[key] = panel.clipped.append("path").attr("class", `d2l-x-curve d2l-x-curve--${key}`)
        .attr("fill", "none").attr("stroke", style.color).attr("stroke-width", style.width ?? 2.5)
        .attr("stroke-dasharray", style.dash || null).attr("stroke-opacity", style.opacity ?? 1);
    }
    const dots = panel.clipped.append("path").attr("class", "d2l-x-dots").attr("fill", current.color);
    const legend = view.root.append("ul").attr("class", "d2l-x-legend");
    const legendText = {};
    for (const key of ["book", "previous", "current"]) {
      const li = legend.append("li").attr("data-curve", key);
      swatch(li, styles[key], key === "current");
      legendText[key] = li.append("span");
    }
    const readout = view.root.append("p").attr("class", "readout d2l-x-readout");
    view.root.append("p").attr("class", "d2l-x-hint").text(
      "Raise η until the loss stops falling smoothly, then try a smaller γ at the same η: " +
      "each run is drawn against the previous one and the book's.");

    const runOf = () => ({
      eta: view.control("eta"),
      gamma: view.control("gamma"),
      epochsAt: finiteArray(model.get("epochs_at")),
      curve: finiteArray(model.get("curve")),
      diverged: typeof model.get("diverged") === "string" ? model.get("diverged") : null,
    });
    let runs = { current: runOf(), previous: null };
    const book = {
      eta: config.book.eta, gamma: config.book.gamma,
      epochsAt: finiteArray(config.book.epochs_at), curve: finiteArray(config.book.curve),
    };
    const [yLo, yHi] = config.y_range;
    // A diverging curve extends the range this far at most, then leaves the plot.
    const cap = yHi + 4 * (yHi - yLo);

    const points = (run, x, y) => run.epochsAt.slice(0, run.curve.length).map((e, i) => [x(e), y(run.curve[i])]);
    const draw = () => {
      const shown = [book, runs.previous, runs.current].filter(Boolean);
      const values = shown.flatMap((run) => run.curve.filter(Number.isFinite));
      const lo = Math.min(yLo, d3.min(values) ?? yLo);
      const hi = Math.max(yHi, Math.min(cap, d3.max(values) ?? yHi));
      const [[x0, y0], [x1, y1]] = panel.extent();
      const x = d3.scaleLinear([0, config.epochs], [x0, x1]);
      const y = d3.scaleLinear([lo, hi], [y1, y0]).nice();
      drawAxes(panel.axes, { x, y, width: panel.width, height: panel.height, xLabel: labels.x, yLabel: labels.y });
      const extent = [[x0 - 10, y0 - 10], [x1 + 10, y1 + 10]];
      curves.book.attr("d", clippedLine(points(book, x, y), extent));
      curves.previous.attr("d", runs.previous ? clippedLine(points(runs.previous, x, y), extent) : null);
      curves.current.attr("d", clippedLine(points(runs.current, x, y), extent));
      dots.attr("d", dotsPath(points(runs.current, x, y), panel.extent(), 2.5));
      const name = (run) => `${etaText(run.eta)}, ${gammaText(run.gamma)}`;
      const final = (run) => run.curve[run.curve.length - 1];
      legendText.book.text(`the book's run: ${name(book)}` +
        (book.curve.length ? `, final loss ${final(book).toFixed(4)}` : ""));
      legend.select("[data-curve=previous]").attr("hidden", runs.previous ? null : "");
      legendText.previous.text(runs.previous ? `previous run: ${name(runs.previous)}` : "");
      legendText.current.text(`this run: ${name(runs.current)}`);
      const { current: run } = runs;
      let text = "no result yet";
      if (run.diverged) text = run.diverged;
      else if (run.curve.length) text = `final loss ${final(run).toFixed(4)}`;
      readout.text(`${name(run)}: ${text}`);
    };

    view.onRedraw((names) => {
      for (const show of sliders) show();
      if (view.hasResults(names)) {
        // A run is new when its controls differ from the shown one's: a kernel may send the
        // three results one by one, and they belong to one run.
        const run = runOf();
        if (run.eta !== runs.current.eta || run.gamma !== runs.current.gamma) {
          runs = { current: run, previous: runs.current };
        } else {
          runs.current = run;
        }
        draw();
        view.latency.done();
      }
    });
    view.onResize(() => {
      panel.resize(panelWidths(view, panels.node(), 1));
      draw();
    });
    return view.cleanup;
  };

  X.views.training = trainingView;
})();
