/*
 * The state explorer's view: RMSProp's path on the contours with the current step lit, its state
 * s_t and its step sizes η/√(s_t + ε) per coordinate against the step, played or stepped through.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { clippedLine, createPanel, createView, dotsPath, drawAxes, etaText, finiteArray, gammaText,
    integerTicks, logTicks, panelWidths, swatch } = X.ui;
  const COORDINATES = [
    { key: 1, name: "x₁", color: "#0072B2", dash: "" },
    { key: 2, name: "x₂", color: "#D55E00", dash: "6 3" },
  ];
  const PLAY_MS = 350;

  const stateView = (model, el) => {
    const view = createView(model, el, "state");
    const { config } = view;
    const { a, b } = config.objective;
    const sliders = [
      view.slider(view.controlsBox, { name: "eta", text: "learning rate", format: etaText, quantity: "eta" }),
      view.slider(view.controlsBox, { name: "gamma", text: "decay rate", format: gammaText, quantity: "gamma" }),
      view.slider(view.controlsBox, { name: "t", text: "step shown", format: (t) => `step ${t}` }),
    ];
    const button = (text, label, action) => view.toolbar.append("button").attr("type", "button")
      .attr("aria-label", label).text(text).on("click", action);
    let timer = null;
    const setStep = (t) => view.setControls({ t: X.clamp(t, 0, lastStep()) });
    const stop = () => {
      clearInterval(timer);
      timer = null;
      play.text("▶ play").attr("aria-pressed", "false");
    };
    button("◀", "one step back", () => { stop(); setStep(view.control("t") - 1); });
    const play = button("▶ play", "play the run step by step", () => {
      if (timer) return stop();
      if (view.control("t") >= lastStep()) setStep(0);
      play.text("❚❚ pause").attr("aria-pressed", "true");
      timer = setInterval(() => {
        if (view.control("t") >= lastStep()) stop();
        else setStep(view.control("t") + 1);
      }, PLAY_MS);
    }).attr("aria-pressed", "false");
    button("▶|", "one step forward", () => { stop(); setStep(view.control("t") + 1); });

    const panels = view.root.append("div").attr("class", "d2l-x-panels");
    const contour = createPanel(view, panels, `RMSProp on f(x) = ${a} x₁² + ${b} x₂², step by step`,
      "Contour plot of f with RMSProp's path; the point of the step shown is ringed");
    const state = createPanel(view, panels, "The state sₜ of each coordinate (log scale)",
      "Line chart of the state s of each coordinate against the step");
    const rate = createPanel(view, panels, "The step size η/√(sₜ + ε) of each coordinate (log scale)",
      "Line chart of the effective learning rate of each coordinate against the step, with the rates above which a gradient step is unstable");
    state.svg.attr("data-quantity", "s");
    rate.svg.attr("data-quantity", "eta");
    const ellipses = contour.clipped.append("g").attr("class", "d2l-x-contours");
    const later = contour.clipped.append("path").attr("fill", "none").attr("stroke", "#D55E00")
      .attr("stroke-width", 1.5).attr("stroke-opacity", 0.35).attr("stroke-linejoin", "round");
    const path = contour.clipped.append("path").attr("fill", "none").attr("stroke", "#D55E00")
      .attr("stroke-width", 2.5).attr("stroke-linejoin", "round");
    const dots = contour.clipped.append("path").attr("fill", "#D55E00");
    const ring = contour.clipped.append("circle").attr("class", "d2l-x-current").attr("r", 7)
      .attr("fill", "none").attr("stroke", "#111").attr("stroke-width", 2.5);
    const lines = {};
    for (const panel of [state, rate]) {
      lines[panel === state ? "s" : "r"] = COORDINATES.map((c) => panel.clipped.append("path")
        .attr("fill", "none").attr("stroke", c.color).attr("stroke-width", 2.5)
        .attr("stroke-dasharray", c.dash || null));
      panel.marker = panel.clipped.append("line").attr("class", "d2l-x-now").attr("stroke", "#111")
        .attr("stroke-width", 1.5).attr("stroke-dasharray", "2 3");
    }
    const limits = COORDINATES.map((c) => rate.clipped.append("line").attr("stroke", c.color)
      .attr("stroke-width", 1.2).attr("stroke-dasharray", "1 3"));
    const legend = view.root.append("ul").attr("class", "d2l-x-legend");
    for (const c of COORDINATES) {
      const li = legend.append("li");
      swatch(li, c);
      li.append("span").text(`coordinate ${c.name} (dotted in the step sizes: the largest stable rate, ${
        c.key === 1 ? "2/(2a)" : "2/(2b)"})`);
    }
    const readout = view.root.append("p").attr("class", "readout d2l-x-readout").attr("aria-live", "polite");
    view.root.append("p").attr("class", "d2l-x-hint").text(
      "Play the run, or step through it: near the minimum the gradients and so sₜ shrink, and the step " +
      "size of x₂ climbs past its dotted stability limit. At γ = 1, sₜ never moves from 0 and the first " +
      "step is η/√ε = 400 times the gradient.");

    const readRun = () => {
      const raw = model.get("run") ?? {};
      const run = Object.fromEntries(["x1", "x2", "f", "g1", "g2", "s1", "s2", "r1", "r2"]
        .map((key) => [key, finiteArray(raw[key])]));
      run.diverged = Number.isFinite(raw.diverged) ? raw.diverged : 0;
      run.length = Math.min(...Object.values(run).filter(Array.isArray).map((v) => v.length));
      return run;
    };
    const lastStep = () => Math.max(0, readRun().length - 1);

    const drawContours = (x, y) => {
      const [[x0], [x1]] = contour.extent();
      const levels = config.contour_levels;
      const cx = x(0);
      const cy = y(0);
      ellipses.selectAll("ellipse").data(levels).join("ellipse").attr("cx", cx).attr("cy", cy)
        .attr("rx", (level) => Math.abs(x(Math.sqrt(level / a)) - cx))
        .attr("ry", (level) => Math.abs(y(Math.sqrt(level / b)) - cy));
      return [x0, x1];
    };

    const logDomain = (values) => {
      const positive = values.filter((v) => Number.isFinite(v) && v > 0);
      if (!positive.length) return [1e-3, 1];
      const [lo, hi] = d3.extent(positive);
      return [lo / 2, hi * 2];
    };

    const draw = () => {
      const run = readRun();
      const t = Math.min(view.control("t"), Math.max(run.length - 1, 0));
      const n = run.length;
      const [[u0, v0], [u1, v1]] = contour.extent();
      const xs = [...run.x1.slice(0, n), -6, 6];
      const ys = [...run.x2.slice(0, n), -4, 4];
      const span = Math.max(d3.max(xs.map(Math.abs)), 1.5 * d3.max(ys.map(Math.abs)), 1) * 1.08;
      const x = d3.scaleLinear([-span, span], [u0, u1]);
      const y = d3.scaleLinear([-span / 1.5, span / 1.5], [v1, v0]);
      drawAxes(contour.axes, { x, y, width: contour.width, height: contour.height, xLabel: "x₁", yLabel: "x₂" });
      drawContours(x, y);
      const points = d3.range(n).map((i) => [x(run.x1[i]), y(run.x2[i])]);
      // The run up to the step shown, then (faint) the rest of it.
      path.attr("d", clippedLine(points.slice(0, t + 1), contour.extent()));
      later.attr("d", clippedLine(points.slice(t), contour.extent()));
      dots.attr("d", dotsPath(points.slice(0, t + 1), contour.extent(), 2.5));
      ring.attr("display", n ? null : "none");
      if (n) ring.attr("cx", points[t][0]).attr("cy", points[t][1]);

      const steps = d3.scaleLinear([0, config.steps], [0, 0]);
      for (const [panel, key, values] of [[state, "s", [run.s1, run.s2]], [rate, "r", [run.r1, run.r2]]]) {
        const [[p0, q0], [p1, q1]] = panel.extent();
        steps.range([p0, p1]);
        const extra = key === "r" ? config.stable_rates : [];
        const scale = d3.scaleLog(logDomain([...values.flat(), ...extra]), [q1, q0]);
        drawAxes(panel.axes, {
          x: steps, y: scale, width: panel.width, height: panel.height, xLabel: "step",
          yLabel: key === "s" ? "sₜ" : "η/√(sₜ + ε)",
          xTicks: integerTicks(steps, Math.max(3, Math.floor((p1 - p0) / 60))),
          yTicks: logTicks(scale, Math.max(3, Math.floor((q1 - q0) / 40))),
        });
        const extent = [[p0 - 10, q0 - 10], [p1 + 10, q1 + 10]];
        values.forEach((series, i) => {
          const line = series.slice(0, n).map((v, step) => [steps(step), v > 0 ? scale(v) : q1 + 20]);
          lines[key][i].attr("d", clippedLine(line, extent));
        });
        panel.marker.attr("x1", steps(t)).attr("x2", steps(t)).attr("y1", q0).attr("y2", q1);
        if (key === "r") {
          limits.forEach((line, i) => line.attr("x1", p0).attr("x2", p1)
            .attr("y1", scale(config.stable_rates[i])).attr("y2", scale(config.stable_rates[i])));
        }
      }
      const fmt = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(3));
      const pair = (p, q) => `(${fmt(p)}, ${fmt(q)})`;
      let text = "no result";
      if (n) {
        text = `${etaText(view.control("eta"))}, ${gammaText(view.control("gamma"))}, step ${t}: ` +
          `x = ${pair(run.x1[t], run.x2[t])}, g = ${pair(run.g1[t], run.g2[t])}, ` +
          `s = ${pair(run.s1[t], run.s2[t])}, step sizes η/√(s + ε) = ${pair(run.r1[t], run.r2[t])}`;
      }
      if (run.diverged) text += `; the run diverged at step ${run.diverged}`;
      readout.text(text);
    };

    view.onRedraw((names) => {
      for (const show of sliders) show();
      draw();
      if (view.hasResults(names) || names.has("t")) view.latency.done();
    });
    view.onResize(() => {
      const width = panelWidths(view, panels.node(), 2);
      for (const panel of [contour, state, rate]) panel.resize(width);
      draw();
    });
    const cleanup = view.cleanup;
    return () => {
      stop();
      cleanup();
    };
  };

  X.views.state = stateView;
})();
