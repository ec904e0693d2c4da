/*
 * The (η, γ) map's view: a heat map of RMSProp's steps to f < 10⁻³ (or its f after 20 steps)
 * over the grid, the section's pair ringed, and the chosen pair's run on the contours beside it.
 * A cell is chosen by pointer or tap, or with the arrow keys once the map has the focus.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { clippedLine, createPanel, createView, dotsPath, drawAxes, etaText, finiteArray, fmtGamma,
    gammaText, panelWidths } = X.ui;
  const MISSING = "#c9ced4";

  const mapView = (model, el) => {
    const view = createView(model, el, "map");
    const { config } = view;
    const etas = config.controls.eta.grid;
    const gammas = config.controls.gamma.grid;
    const showMetric = view.choice(view.controlsBox, { name: "metric", text: "the map shows", options: config.metrics });
    const panels = view.root.append("div").attr("class", "d2l-x-panels");
    const heat = createPanel(view, panels, "RMSProp over η and γ, from (−5, −2)",
      "Heat map of RMSProp's result for each learning rate and decay; the section's pair is ringed");
    const trace = createPanel(view, panels, "The chosen pair's run on the contours of f",
      "Contour plot of f with RMSProp's path for the chosen learning rate and decay");
    const cells = heat.clipped.append("g").attr("class", "d2l-x-cells");
    // The section's pair: a white dashed ring on a dark one, legible on every colour (drawn,
    // not a drop-shadow filter, which a printed page would turn into a picture).
    const bookRing = heat.svg.append("g").attr("class", "d2l-x-book").attr("fill", "none");
    bookRing.append("rect").attr("stroke", "#000").attr("stroke-opacity", 0.6).attr("stroke-width", 4);
    bookRing.append("rect").attr("stroke", "#fff").attr("stroke-width", 2).attr("stroke-dasharray", "3 2");
    const book = bookRing.selectAll("rect");
    const chosen = heat.svg.append("rect").attr("class", "d2l-x-chosen").attr("fill", "none")
      .attr("stroke", "#111").attr("stroke-width", 3);
    // The map takes the focus; the arrow keys choose among its cells.
    heat.svg.attr("tabindex", 0).attr("role", "application").attr("aria-roledescription", "map")
      .attr("aria-label", "Map of learning rate and decay: arrow keys choose a cell, its run is shown beside");
    const ellipses = trace.clipped.append("g").attr("class", "d2l-x-contours");
    const line = trace.clipped.append("path").attr("fill", "none").attr("stroke", "#D55E00").attr("stroke-width", 2.5);
    const dots = trace.clipped.append("path").attr("fill", "#D55E00");
    const scale = view.root.append("div").attr("class", "d2l-x-colorbar");
    const readout = view.root.append("p").attr("class", "readout d2l-x-readout").attr("aria-live", "polite");
    view.root.append("p").attr("class", "d2l-x-hint").text(
      "Choose a cell (click, tap, or the arrow keys on the map) to run that pair. The dashed white ring " +
      "is the section's η = 0.4, γ = 0.9.");

    let x = null;
    let y = null;
    let drawnValues = null;
    const colorOf = (values, metric) => {
      const known = values.flat().filter(Number.isFinite);
      const [lo, hi] = known.length ? d3.extent(known) : [1, 2];
      // Yellow is the best: fewest steps, or the lowest f.
      const domain = metric === "steps" ? [Math.max(lo, 1), Math.max(hi, lo + 1)] : [Math.max(lo, 1e-12), Math.max(hi, lo * 10)];
      const color = d3.scaleSequentialLog(d3.interpolateViridis).domain([domain[1], domain[0]]);
      return { color, domain };
    };
    const drawMap = () => {
      const values = model.get("values") ?? [];
      const metric = view.control("metric");
      const [[u0, v0], [u1, v1]] = heat.extent();
      x = d3.scaleBand(d3.range(etas.length), [u0, u1]);
      y = d3.scaleBand(d3.range(gammas.length), [v1, v0]);
      const { color, domain } = colorOf(values, metric);
      const everyEta = Math.ceil(etas.length / Math.max(2, Math.floor((u1 - u0) / 55)));
      const everyGamma = Math.ceil(gammas.length / Math.max(2, Math.floor((v1 - v0) / 30)));
      drawAxes(heat.axes, {
        x, y, width: heat.width, height: heat.height, xLabel: "learning rate η", yLabel: "decay γ",
        xTicks: { values: d3.range(0, etas.length, everyEta), format: (i) => String(etas[i]) },
        yTicks: { values: d3.range(0, gammas.length, everyGamma), format: (i) => fmtGamma(gammas[i]) },
      });
      const data = values.flatMap((row, i) => row.map((value, j) => ({ i, j, value })));
      cells.selectAll("rect").data(data).join("rect")
        .attr("x", (d) => x(d.j)).attr("y", (d) => y(d.i))
        .attr("width", x.bandwidth() + 0.5).attr("height", y.bandwidth() + 0.5)
        .attr("fill", (d) => (Number.isFinite(d.value) ? color(Math.max(d.value, domain[0])) : MISSING));
      const place = (rect, eta, gamma) => rect.attr("x", x(X.nearestIndex(etas, eta)))
        .attr("y", y(X.nearestIndex(gammas, gamma))).attr("width", x.bandwidth()).attr("height", y.bandwidth());
      place(book, config.book.eta, config.book.gamma);
      const what = config.metrics[metric];
      const fmt = (v) => (metric === "steps" ? String(Math.round(v)) : v.toPrecision(2));
      scale.html("").append("span").text(
        `${what}: yellow ${fmt(domain[0])} (best), dark ${fmt(domain[1])}; grey: ` +
        (metric === "steps" ? `not within ${config.horizon} steps, or diverged` : "diverged"));
      drawnValues = values;
      return place;
    };
    let place = null;

    const drawRun = () => {
      const eta = view.control("eta");
      const gamma = view.control("gamma");
      place?.(chosen, eta, gamma);
      const { a, b } = config.objective;
      const path = model.get("path") ?? {};
      const [x1s, x2s] = [finiteArray(path.x1), finiteArray(path.x2)];
      const [[u0, v0], [u1, v1]] = trace.extent();
      const span = Math.max(6, ...x1s.map(Math.abs).filter(Number.isFinite).map((v) => v * 1.1));
      const px = d3.scaleLinear([-span, span], [u0, u1]);
      const py = d3.scaleLinear([-span * (v1 - v0) / (u1 - u0), span * (v1 - v0) / (u1 - u0)], [v1, v0]);
      drawAxes(trace.axes, { x: px, y: py, width: trace.width, height: trace.height, xLabel: "x₁", yLabel: "x₂" });
      ellipses.selectAll("ellipse").data(config.contour_levels).join("ellipse").attr("cx", px(0)).attr("cy", py(0))
        .attr("rx", (level) => Math.abs(px(Math.sqrt(level / a)) - px(0)))
        .attr("ry", (level) => Math.abs(py(Math.sqrt(level / b)) - py(0)));
      const points = x1s.map((v, i) => [px(v), py(x2s[i])]);
      line.attr("d", clippedLine(points, trace.extent()));
      dots.attr("d", dotsPath(points.slice(1), trace.extent(), 2.5));
      const value = drawnValues?.[X.nearestIndex(gammas, gamma)]?.[X.nearestIndex(etas, eta)];
      let text = `${etaText(eta)}, ${gammaText(gamma)}: `;
      if (path.blew_up) text += `diverges at step ${path.blew_up}`;
      else if (Number.isInteger(path.reached)) text += `f below 10⁻³ after ${path.reached} steps`;
      else text += `f not below 10⁻³ within ${config.horizon} steps`;
      if (view.control("metric") === "loss" && Number.isFinite(value)) {
        text += `; f after ${config.section_steps} steps ${value.toPrecision(3)}`;
      }
      readout.text(text);
    };

    const choose = (i, j) => view.setControls({
      gamma: gammas[X.clamp(i, 0, gammas.length - 1)], eta: etas[X.clamp(j, 0, etas.length - 1)],
    });
    heat.svg.on("click", (event) => {
      const rect = heat.svg.node().getBoundingClientRect();
      const s = heat.width / rect.width;
      const [u, v] = [(event.clientX - rect.left) * s, (event.clientY - rect.top) * s];
      const j = Math.floor((u - x.range()[0]) / x.step());
      const i = gammas.length - 1 - Math.floor((v - y.range()[1]) / y.step());
      if (j >= 0 && j < etas.length && i >= 0 && i < gammas.length) choose(i, j);
    });
    const MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [1, 0], ArrowDown: [-1, 0] };
    heat.svg.on("keydown", (event) => {
      const move = MOVES[event.key];
      if (!move) return;
      event.preventDefault();
      choose(X.nearestIndex(gammas, view.control("gamma")) + move[0], X.nearestIndex(etas, view.control("eta")) + move[1]);
    });

    view.onRedraw((names) => {
      showMetric();
      if (!place || model.get("values") !== drawnValues) place = drawMap();
      drawRun();
      if (view.hasResults(names)) view.latency.done();
    });
    view.onResize(() => {
      const width = panelWidths(view, panels.node(), 2);
      heat.resize(width);
      trace.resize(width);
      place = drawMap();
      drawRun();
    });
    return view.cleanup;
  };

  X.views.map = mapView;
})();
