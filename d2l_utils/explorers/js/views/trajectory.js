/* The trajectory explorer's view: optimizers on f = a x1² + b x2² from a draggable start point. */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { plotPixels, clamp, clippedLine, createPanel, createView, dotsPath, drawAxes, etaText, finiteArray, gammaText, integerTicks, logTicks, panelWidths, swatch } = X.ui;

  const trajectoryView = (model, el) => {
    const view = createView(model, el, "trajectory");
    const { config } = view;
    const { a, b } = config.objective;
    const methods = config.methods;
    const styleOf = (m) => config.optimizers[m].style;
    const labelOf = (m) => config.optimizers[m].label;
    const pointSpec = config.controls.start;
    const { bounds } = pointSpec;
    const toStart = (value) => X.sanitize(pointSpec, value, pointSpec.default);

    const controls = view.controlsBox;
    const sliders = [
      view.slider(controls, { name: "eta", text: "learning rate", format: etaText, quantity: "eta" }),
      view.slider(controls, { name: "gamma", text: "RMSProp decay", format: gammaText, quantity: "gamma" }),
      view.slider(controls, {
        name: "steps", text: "steps", format: (v) => `${v} steps`,
      }),
    ];
    const panels = view.root.append("div").attr("class", "d2l-x-panels");
    const contour = createPanel(view, panels, `Paths on the contours of f(x) = ${a} x₁² + ${b} x₂²`);
    contour.svg.attr("role", "group").attr("aria-label", "Contour plot of f with the paths of the four optimizers");
    const loss = createPanel(view, panels, "f(x) against the step (log scale)",
      "Line chart of f against the step for the four optimizers");

    const ellipses = contour.clipped.append("g").attr("class", "d2l-x-contours");
    const minimum = contour.clipped.append("path").attr("class", "d2l-x-minimum");
    const trace = {};
    for (const m of methods) {
      const { color, dash } = styleOf(m);
      const g = contour.clipped.append("g").attr("class", "d2l-x-path").attr("data-method", m);
      trace[m] = {
        line: g.append("path").attr("fill", "none").attr("stroke", color).attr("stroke-width", 2.5)
          .attr("stroke-dasharray", dash || null).attr("stroke-linejoin", "round"),
        dots: g.append("path").attr("fill", color),
        loss: loss.clipped.append("path").attr("class", "d2l-x-loss").attr("data-method", m)
          .attr("fill", "none").attr("stroke", color).attr("stroke-width", 2.5)
          .attr("stroke-dasharray", dash || null),
      };
    }
    const handle = contour.plot.append("div").attr("class", "d2l-x-handle").attr("tabindex", 0)
      .attr("role", "application").attr("aria-roledescription", "draggable point")
      .attr("aria-label", "Start point: drag it, or use the arrow keys (Shift for steps of 1)")
      .attr("aria-describedby", `${view.id}-start`);

    const startLine = view.root.append("p").attr("class", "d2l-x-start").attr("id", `${view.id}-start`);
    const readout = view.root.append("ul").attr("class", "readout d2l-x-readout");
    const items = {};
    for (const m of methods) {
      const li = readout.append("li").attr("data-method", m);
      swatch(li, styleOf(m), true);
      items[m] = li.append("span").attr("class", "d2l-x-values");
    }
    view.root.append("p").attr("class", "d2l-x-hint").text(
      "Drag the black start point (or focus it and press the arrow keys); tap the plot to move it there. " +
      "The paths follow while you drag.");

    let note = null;
    let promptButtons = null;
    if (config.prompts?.length) {
      const box = view.root.append("section").attr("class", "d2l-x-prompts").attr("aria-label", "Try this");
      box.append("p").attr("class", "d2l-x-prompts-title").text("Try this");
      promptButtons = box.append("div").attr("class", "d2l-x-prompt-list").selectAll("button")
        .data(config.prompts).join("button").attr("type", "button").attr("class", "d2l-x-prompt")
        .attr("data-prompt", (p) => p.id).text((p) => p.title)
        .on("click", (event, p) => {
          promptButtons.classed("is-active", (q) => q === p);
          note.text(null);
          note.append("strong").text(`${p.title}. `);
          note.append("span").text(p.text);
          view.setControls(p.set ?? {});
        });
      note = box.append("p").attr("class", "d2l-x-note").attr("aria-live", "polite");
    }
    // A control moved by hand: the prompt that set the controls no longer describes them.
    const leavePrompt = () => promptButtons?.classed("is-active", false);

    // ----- state of the view -----
    let frame = { x1: [...config.default_view.x1], x2: [...config.default_view.x2] };
    let fDomain = [1e-6, 1];
    let x = d3.scaleLinear();
    let y = d3.scaleLinear();
    let stepScale = d3.scaleLinear();
    let fScale = d3.scaleLog();
    let drag = null; // {id, rect, dx, dy} while a pointer drags the start point
    let dragPoint = null; // where the dragged point is, ahead of the model in a notebook
    let keying = false; // an arrow key is held down on the start point

    const start = () => view.control("start");
    // The results, cleaned: finite points only (a notebook's results are not checked here).
    const readPaths = () => {
      const raw = model.get("paths") ?? {};
      const paths = {};
      for (const m of methods) {
        const p = raw[m];
        if (!p) continue;
        const x1 = finiteArray(p.x1);
        const x2 = finiteArray(p.x2);
        const f = finiteArray(p.f);
        const points = [];
        for (let i = 0; i < Math.min(x1.length, x2.length, f.length); i++) {
          if (Number.isFinite(x1[i]) && Number.isFinite(x2[i]) && Number.isFinite(f[i])) {
            points.push({ step: i, x1: x1[i], x2: x2[i], f: f[i] });
          }
        }
        paths[m] = { points, diverged: finiteArray([p.diverged])[0] || 0 };
      }
      return paths;
    };

    // The view frames the start and every path that did not diverge.
    const reframe = (paths) => {
      const [s1, s2] = start();
      const xs1 = [s1];
      const xs2 = [s2];
      const fs = [];
      for (const p of Object.values(paths)) {
        if (p.diverged) continue;
        for (const q of p.points) {
          xs1.push(q.x1);
          xs2.push(q.x2);
          fs.push(q.f);
        }
      }
      const span = (values, defaults) => {
        let [lo, hi] = d3.extent(values);
        const least = 0.25 * (defaults[1] - defaults[0]);
        if (hi - lo < least) {
          const mid = (lo + hi) / 2;
          [lo, hi] = [mid - least / 2, mid + least / 2];
        }
        const pad = 0.08 * (hi - lo);
        return [lo - pad, hi + pad];
      };
      // A path that does not diverge may still fly far away (SGD above its stable step): the frame
      // stops at the start bounds plus a quarter, and such a path leaves the plot at its edge.
      const most = (range) => {
        const half = 0.625 * (range[1] - range[0]);
        const mid = (range[0] + range[1]) / 2;
        return (v) => clamp(v, mid - half, mid + half);
      };
      const limit1 = most(bounds.x1);
      const limit2 = most(bounds.x2);
      frame = {
        x1: span(xs1, config.default_view.x1).map(limit1),
        x2: span(xs2, config.default_view.x2).map(limit2),
      };
      const top = d3.max(fs.filter((v) => v > 0));
      if (top) {
        const bottom = d3.min(fs.filter((v) => v > 0));
        fDomain = [Math.max(bottom / 2, top * 1e-16), top * 2];
      } else {
        fDomain = [1e-6, 1];
      }
      drawFrame();
    };

    // Contours: a x1^2 + b x2^2 = level are ellipses. The config's levels, scaled by a power
    // of ten when the frame is much smaller or larger than the levels' own range.
    const drawContours = () => {
      const corner = Math.max(...frame.x1.map((u) => a * u * u)) + Math.max(...frame.x2.map((v) => b * v * v));
      const near = a * clamp(0, ...frame.x1) ** 2 + b * clamp(0, ...frame.x2) ** 2;
      const largest = Math.max(...config.contour_levels);
      const k = clamp(Math.round(Math.log10(corner / largest)), -12, 12);
      const levels = config.contour_levels.map((level) => Number((level * 10 ** k).toPrecision(6)))
        .filter((level) => level >= near && level <= corner);
      const cx = x(0);
      const cy = y(0);
      const [[x0, y0], [x1, y1]] = contour.extent();
      const groups = ellipses.selectAll("g").data(levels).join((enter) => {
        const g = enter.append("g");
        g.append("ellipse");
        g.append("text").attr("class", "d2l-x-contour-label").attr("text-anchor", "middle");
        return g;
      });
      groups.select("ellipse").attr("cx", cx).attr("cy", cy)
        .attr("rx", (level) => Math.abs(x(Math.sqrt(level / a)) - cx))
        .attr("ry", (level) => Math.abs(y(Math.sqrt(level / b)) - cy));
      // Each label sits where its ellipse crosses the x2 axis (top, else bottom) or the x1 axis.
      groups.select("text").each(function label(level) {
        const candidates = [
          [cx, y(Math.sqrt(level / b))], [cx, y(-Math.sqrt(level / b))],
          [x(Math.sqrt(level / a)), cy], [x(-Math.sqrt(level / a)), cy],
        ];
        const spot = candidates.find(([u, v]) => u > x0 + 14 && u < x1 - 14 && v > y0 + 12 && v < y1 - 4);
        d3.select(this).attr("display", spot ? null : "none")
          .attr("x", spot?.[0] ?? 0).attr("y", (spot?.[1] ?? 0) + 4).text(d3.format("~g")(level));
      });
      minimum.attr("d", `M${cx - 6},${cy}h12M${cx},${cy - 6}v12`);
    };

    // Scales, axes and contours: redrawn on re-framing and on resizing only.
    const drawFrame = () => {
      const [[x0, y0], [x1, y1]] = contour.extent();
      x = d3.scaleLinear(frame.x1, [x0, x1]);
      y = d3.scaleLinear(frame.x2, [y1, y0]);
      drawAxes(contour.axes, { x, y, width: contour.width, height: contour.height, xLabel: "x₁", yLabel: "x₂" });
      drawContours();
      const [[u0, v0], [u1, v1]] = loss.extent();
      const steps = view.control("steps");
      stepScale = d3.scaleLinear([0, steps], [u0, u1]);
      fScale = d3.scaleLog(fDomain, [v1, v0]);
      drawAxes(loss.axes, {
        x: stepScale, y: fScale, width: loss.width, height: loss.height, xLabel: "step", yLabel: "f(x)",
        xTicks: integerTicks(stepScale, Math.max(3, Math.floor((u1 - u0) / 60))),
        yTicks: logTicks(fScale, Math.max(3, Math.floor((v1 - v0) / 40))),
      });
    };

    const drawHandle = () => {
      const [s1, s2] = dragPoint ?? start();
      const [px, py] = plotPixels(contour, x(s1), y(s2));
      handle.style("transform", `translate(${px.toFixed(1)}px, ${py.toFixed(1)}px)`);
      startLine.text(`start x₀ = (${s1.toFixed(2)}, ${s2.toFixed(2)})`);
    };

    // Paths, f curves and readout: redrawn on every change of the results.
    const drawPaths = (paths) => {
      const extent = contour.extent();
      const [[u0, v0], [u1, v1]] = loss.extent();
      // The loss panel's lines may leave the plot by far (diverging runs): clip a little outside.
      const lossExtent = [[u0 - 10, v0 - 10], [u1 + 10, v1 + 10]];
      const floor = fDomain[0];
      for (const m of methods) {
        const p = paths[m];
        const points = p ? p.points.map((q) => [x(q.x1), y(q.x2)]) : [];
        trace[m].line.attr("d", clippedLine(points, extent));
        trace[m].dots.attr("d", dotsPath(points.slice(1), extent, 2.5));
        // Below the range's floor (f can reach 0), a point sits under the plot: the line leaves it.
        const fy = (v) => (v >= floor ? fScale(v) : v1 + 20);
        const fPoints = p ? p.points.map((q) => [stepScale(q.step), fy(q.f)]) : [];
        trace[m].loss.attr("d", clippedLine(fPoints, lossExtent));
        // Pieces that wrap as wholes: "RMSProp: " "x1 -0.010599, " "x2 0.000000, " "f 0.000011".
        let pieces = ["no result"];
        if (p?.diverged) {
          pieces = [`diverged at step ${p.diverged}`];
        } else if (p?.points.length) {
          const last = p.points[p.points.length - 1];
          pieces = [`x1 ${last.x1.toFixed(6)}, `, `x2 ${last.x2.toFixed(6)}, `, `f ${last.f.toFixed(6)}`];
        }
        items[m].selectAll("span").data([`${labelOf(m)}: `, ...pieces]).join("span").text((t) => t);
      }
      drawHandle();
    };

    const outsideFrame = ([s1, s2]) =>
      s1 < frame.x1[0] || s1 > frame.x1[1] || s2 < frame.x2[0] || s2 > frame.x2[1];

    view.onRedraw((names) => {
      for (const show of sliders) show();
      if (!names.has("paths")) {
        // A control changed and its results are still on their way (a kernel round trip).
        if (names.has("steps") && !drag) {
          drawFrame();
          drawPaths(readPaths());
        } else {
          drawHandle();
        }
        return;
      }
      const paths = readPaths();
      // Re-framed after a slider, a prompt, a click, a drag's end; not while a finger drags.
      if (!drag && (!keying || outsideFrame(start()))) reframe(paths);
      drawPaths(paths);
      view.latency.done();
    });

    // ----- the start point: pointer (mouse, touch, pen) and keyboard -----
    const pixelToStart = (event, dx, dy, rect) => {
      const scale = contour.width / rect.width;
      const [[x0, y0], [x1, y1]] = contour.extent();
      const px = clamp((event.clientX - rect.left) * scale - dx, x0, x1);
      const py = clamp((event.clientY - rect.top) * scale - dy, y0, y1);
      // Rounded to about a pixel's worth of x, so readouts show no false digits.
      const digits = clamp(Math.ceil(-Math.log10(Math.abs(x.invert(1) - x.invert(0)))), 0, 6);
      const round = (v) => Number(v.toFixed(digits));
      return toStart([round(x.invert(px)), round(y.invert(py))]);
    };

    const node = handle.node();
    handle.on("pointerdown", (event) => {
      if (event.button !== 0 || drag) return;
      event.preventDefault();
      node.setPointerCapture(event.pointerId);
      node.focus({ preventScroll: true });
      const rect = contour.svg.node().getBoundingClientRect();
      const scale = contour.width / rect.width;
      const [s1, s2] = start();
      drag = {
        id: event.pointerId, rect,
        dx: (event.clientX - rect.left) * scale - x(s1),
        dy: (event.clientY - rect.top) * scale - y(s2),
      };
      leavePrompt();
    });
    handle.on("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      // The point follows the pointer at once (the redraw draws it), ahead of any results.
      dragPoint = pixelToStart(event, drag.dx, drag.dy, drag.rect);
      view.setControls({ start: dragPoint });
    });
    const redrawFramed = () => {
      const paths = readPaths();
      reframe(paths);
      drawPaths(paths);
    };
    const endDrag = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      drag = null;
      dragPoint = null;
      redrawFramed();
    };
    handle.on("pointerup pointercancel lostpointercapture", endDrag);

    const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    handle.on("keydown", (event) => {
      const direction = ARROWS[event.key];
      if (!direction) return;
      event.preventDefault();
      keying = true;
      leavePrompt();
      const size = event.shiftKey ? 1 : 0.1;
      const [s1, s2] = start();
      const round = (v) => Math.round(v * 1e6) / 1e6; // no 0.30000000000000004 in the readout
      view.setControls({
        start: toStart([round(s1 + direction[0] * size), round(s2 + direction[1] * size)]),
      });
    });
    const endKeys = () => {
      if (!keying) return;
      keying = false;
      redrawFramed();
    };
    handle.on("keyup", (event) => ARROWS[event.key] && endKeys());
    handle.on("blur", endKeys);

    // A click or tap on the plot moves the start point there.
    contour.svg.on("click", (event) => {
      leavePrompt();
      view.setControls({ start: pixelToStart(event, 0, 0, contour.svg.node().getBoundingClientRect()) });
    });
    controls.on("input", leavePrompt);

    view.onResize(() => {
      const width = panelWidths(view, panels.node(), 2);
      contour.resize(width);
      loss.resize(width);
      redrawFramed();
    });
    return view.cleanup;
  };

  X.views.trajectory = trajectoryView;
})();
