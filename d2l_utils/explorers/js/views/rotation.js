/*
 * The rotation explorer's view: the section's valley turned by θ, the paths of SGD, Adam and
 * RMSProp on it, f against the step, how many steps each needs, and RMSProp's step sizes.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { clippedLine, createPanel, createView, dotsPath, drawAxes, etaText, finiteArray, gammaText,
    integerTicks, logTicks, panelWidths, swatch } = X.ui;

  const rotationView = (model, el) => {
    const view = createView(model, el, "rotation");
    const { config } = view;
    const methods = config.methods;
    const sliders = [
      view.slider(view.controlsBox, { name: "angle", text: "valley turned by", format: (v) => `θ = ${v}°` }),
      view.slider(view.controlsBox, { name: "eta", text: "learning rate", format: etaText, quantity: "eta" }),
      view.slider(view.controlsBox, { name: "gamma", text: "RMSProp decay", format: gammaText, quantity: "gamma" }),
    ];
    const panels = view.root.append("div").attr("class", "d2l-x-panels");
    const contour = createPanel(view, panels, "Paths on the turned valley (the dashed lines are its axes)",
      "Contour plot of the turned quadratic with the paths of SGD, Adam and RMSProp");
    const loss = createPanel(view, panels, "f(x) against the step (log scale)",
      "Line chart of f against the step for SGD, Adam and RMSProp");
    const contours = contour.clipped.append("g").attr("class", "d2l-x-contours");
    const axes = contour.clipped.append("g").attr("class", "d2l-x-valley-axes");
    const trace = {};
    for (const m of methods) {
      const { color, dash } = config.optimizers[m].style;
      const g = contour.clipped.append("g").attr("class", "d2l-x-path").attr("data-method", m);
      trace[m] = {
        line: g.append("path").attr("fill", "none").attr("stroke", color).attr("stroke-width", 2.5)
          .attr("stroke-dasharray", dash || null),
        dots: g.append("path").attr("fill", color),
        loss: loss.clipped.append("path").attr("fill", "none").attr("stroke", color)
          .attr("stroke-width", 2.5).attr("stroke-dasharray", dash || null),
      };
    }
    const readout = view.root.append("ul").attr("class", "readout d2l-x-readout");
    const items = {};
    for (const m of methods) {
      const li = readout.append("li").attr("data-method", m);
      swatch(li, config.optimizers[m].style, true);
      items[m] = li.append("span");
    }
    const scales = view.root.append("p").attr("class", "d2l-x-scales").attr("data-quantity", "s");
    view.root.append("p").attr("class", "d2l-x-hint").text(
      "Turn the valley from 0° towards 45°: RMSProp scales each coordinate by its own gradients, so it " +
      "helps while the valley runs along the axes and loses that help as the valley leaves them.");

    const draw = () => {
      const paths = model.get("paths") ?? {};
      const turn = config.turns[X.nearestIndex(config.controls.angle.grid, view.control("angle"))];
      const [[u0, v0], [u1, v1]] = contour.extent();
      // One scale for both axes (a turned ellipse stays an ellipse): 6 units each way across.
      const half = 6;
      const ratio = (v1 - v0) / (u1 - u0);
      const x = d3.scaleLinear([-half, half], [u0, u1]);
      const y = d3.scaleLinear([-half * ratio, half * ratio], [v1, v0]);
      drawAxes(contour.axes, { x, y, width: contour.width, height: contour.height, xLabel: "x₁", yLabel: "x₂" });
      // The level set a u² + b v² = L, with u along [c, d] and v across it, as a polyline.
      const [c, d] = turn;
      const norm = Math.hypot(c, d);
      const { a, b } = config.objective;
      contours.selectAll("path").data(config.contour_levels).join("path").attr("fill", "none")
        .attr("stroke", "#9a9a9a").attr("stroke-width", 1)
        .attr("d", (level) => clippedLine(d3.range(73).map((k) => {
          const phi = (2 * Math.PI * k) / 72;
          const p = Math.sqrt(level / a) / norm * Math.cos(phi);
          const q = Math.sqrt(level / b) / norm * Math.sin(phi);
          return [x((c * p - d * q) / norm), y((d * p + c * q) / norm)];
        }), contour.extent()));
      axes.selectAll("path").data([[c, d], [-d, c]]).join("path").attr("stroke", "#59636e")
        .attr("stroke-dasharray", "4 4").attr("d", ([p, q]) => clippedLine(
          [[x(-20 * p), y(-20 * q)], [x(20 * p), y(20 * q)]], contour.extent()));

      const [[p0, q0], [p1, q1]] = loss.extent();
      const steps = d3.scaleLinear([0, config.drawn], [p0, p1]);
      const fs = methods.flatMap((m) => finiteArray(paths[m]?.f)).filter((v) => v > 0);
      const fScale = d3.scaleLog([Math.max(d3.min(fs) ?? 1e-6, 1e-12) / 2, (d3.max(fs) ?? 1) * 2], [q1, q0]);
      drawAxes(loss.axes, {
        x: steps, y: fScale, width: loss.width, height: loss.height, xLabel: "step", yLabel: "f(x)",
        xTicks: integerTicks(steps, Math.max(3, Math.floor((p1 - p0) / 60))),
        yTicks: logTicks(fScale, Math.max(3, Math.floor((q1 - q0) / 40))),
      });
      for (const m of methods) {
        const p = paths[m] ?? {};
        const [x1s, x2s, f] = [finiteArray(p.x1), finiteArray(p.x2), finiteArray(p.f)];
        const points = x1s.map((v, i) => [x(v), y(x2s[i])]);
        trace[m].line.attr("d", clippedLine(points, contour.extent()));
        trace[m].dots.attr("d", dotsPath(points.slice(1), contour.extent(), 2.5));
        trace[m].loss.attr("d", clippedLine(f.map((v, i) => [steps(i), v > 0 ? fScale(v) : q1 + 20]),
          [[p0 - 10, q0 - 10], [p1 + 10, q1 + 10]]));
        const label = config.optimizers[m].label;
        let text = `${label}: not below f = 10⁻³ within ${config.most} steps`;
        if (Number.isInteger(p.reached)) text = `${label}: f below 10⁻³ after ${p.reached} steps`;
        else if (p.blew_up) text = `${label}: diverges at step ${p.blew_up}`;
        items[m].text(text);
      }
      const [r1, r2] = finiteArray(model.get("scales"));
      scales.text(Number.isFinite(r1) && Number.isFinite(r2)
        ? `RMSProp's step sizes η/√(s + ε) after ${config.drawn} steps: x₁ ${r1.toFixed(3)}, x₂ ` +
          `${r2.toFixed(3)}; their ratio ${(Math.max(r1, r2) / Math.min(r1, r2)).toFixed(2)}`
        : "RMSProp's step sizes: the run left the numbers");
    };

    view.onRedraw((names) => {
      for (const show of sliders) show();
      draw();
      if (view.hasResults(names)) view.latency.done();
    });
    view.onResize(() => {
      const width = panelWidths(view, panels.node(), 2);
      contour.resize(width);
      loss.resize(width);
      draw();
    });
    return view.cleanup;
  };

  X.views.rotation = rotationView;
})();
