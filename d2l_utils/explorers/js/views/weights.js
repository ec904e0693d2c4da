/* The weights explorer's view: the leaky average's weights (1-γ)γ^t, its window and half-life. */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { createPanel, createView, drawAxes, finiteArray, gammaText, integerTicks, panelWidths } = X.ui;

  const weightsView = (model, el) => {
    const view = createView(model, el, "weights");
    const { config } = view;
    const labels = { x: "lag t (steps back)", y: "weight (1−γ)γᵗ", ...config.labels };
    const controls = view.controlsBox;
    const showGamma = view.slider(controls, {
      name: "gamma", text: "decay rate", format: gammaText, quantity: "gamma",
    });
    const panels = view.root.append("div").attr("class", "d2l-x-panels d2l-x-panels--single");
    const panel = createPanel(view, panels, "How much sₜ weighs the squared gradient of t steps ago",
      "Bar chart of the weights of past squared gradients, with the window and the half-life marked");
    panel.svg.attr("data-quantity", "s");
    const bars = panel.clipped.append("path").attr("class", "d2l-x-bars").attr("fill", config.color);
    const markers = {};
    for (const key of ["window", "half_life"]) {
      const style = config.marker_styles[key];
      markers[key] = panel.svg.append("line").attr("class", `d2l-x-marker d2l-x-marker--${key}`)
        .attr("stroke", style.color).attr("stroke-width", 2.5).attr("stroke-dasharray", style.dash || null);
    }
    const readout = view.root.append("p").attr("class", "readout d2l-x-readout");
    view.root.append("p").attr("class", "d2l-x-hint")
      .text("Slide γ towards 1: the weights flatten and the window 1/(1−γ) grows, so sₜ remembers longer.");

    const draw = () => {
      const gamma = view.control("gamma");
      const weights = finiteArray(model.get("weights"));
      const [windowValue, half] = finiteArray([model.get("window"), model.get("half_life")]);
      const hasWindow = Number.isFinite(windowValue);
      const lags = Math.min(config.max_lags,
        Math.max(config.min_lags, hasWindow ? Math.ceil(1.25 * windowValue) : config.max_lags));
      const shown = weights.slice(0, lags).map((w) => (Number.isFinite(w) ? w : 0));
      // A marker is drawn when it falls on the chart (the view rule puts both there).
      const onChart = (v) => Number.isFinite(v) && v >= 0 && v <= lags - 0.5;
      const top = 1.1 * (d3.max(shown) || 1 - gamma || 1);
      const [[x0, y0], [x1, y1]] = panel.extent();
      const x = d3.scaleLinear([-0.5, lags - 0.5], [x0, x1]);
      const y = d3.scaleLinear([0, top], [y1, y0]);
      drawAxes(panel.axes, {
        x, y, width: panel.width, height: panel.height, xLabel: labels.x, yLabel: labels.y,
        xTicks: integerTicks(x, Math.max(3, Math.floor((x1 - x0) / 70))),
      });
      // Separate bars while they are at least 3 px apart, else one step-shaped area.
      const band = x(1) - x(0);
      const px = (v) => v.toFixed(2);
      let d;
      if (band >= 3) {
        const halfBar = band * 0.4;
        d = shown.map((w, t) => `M${px(x(t) - halfBar)},${px(y(w))}V${px(y1)}h${px(2 * halfBar)}V${px(y(w))}Z`)
          .join("");
      } else {
        d = `M${px(x(-0.5))},${px(y1)}${shown.map((w, t) => `V${px(y(w))}H${px(x(t + 0.5))}`).join("")}V${px(y1)}Z`;
      }
      bars.attr("d", shown.length ? d : null);
      for (const [key, value] of [["window", windowValue], ["half_life", half]]) {
        const visible = onChart(value);
        markers[key].attr("display", visible ? null : "none");
        if (visible) markers[key].attr("x1", x(value)).attr("x2", x(value)).attr("y1", y0).attr("y2", y1);
      }
      const windowText = onChart(windowValue) ? `${windowValue.toFixed(2)} steps (dashed)` : "∞ (not drawn)";
      const halfText = onChart(half) ? `${half.toFixed(2)} steps (dotted)` : "∞ (not drawn)";
      readout.text(`${gammaText(gamma)}: window 1/(1−γ) = ${windowText}, ` +
        `half-life ln 2/(−ln γ) = ${halfText}`);
    };

    view.onRedraw((names) => {
      showGamma();
      draw();
      if (view.hasResults(names)) view.latency.done();
    });
    view.onResize(() => {
      panel.resize(panelWidths(view, panels.node(), 1));
      draw();
    });
    return view.cleanup;
  };

  X.views.weights = weightsView;
})();
