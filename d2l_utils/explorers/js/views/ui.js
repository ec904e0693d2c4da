/*
 * What the views share: the card, its controls and redraws, panels with axes, paths, legends,
 * formatting. Uses d3 (global) and the DOM; the core (core/, compute/) does not.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const { clamp } = X;

  // The y axis's label sits above the axis, in the top margin, so the left one fits the ticks only.
  const MARGIN = { top: 28, right: 16, bottom: 46, left: 54 };
  const WIDE = 700; // container width (px) from which the panels sit side by side
  const OWN_KEYS = new Set([
    "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown", "Enter", " ",
  ]);
  const MAX_PENDING = 50; // input events waiting for results (kernel round trips) at most
  // Element ids (labels, clip paths) must be unique on the page. In a notebook each widget class
  // evaluates its own copy of this script, so a counter alone would repeat: a random prefix too.
  const ID_PREFIX = `d2l-x-${Math.random().toString(36).slice(2, 8)}`;
  let counter = 0;

  const fmtEta = (eta) => String(Number(eta.toPrecision(3)));
  const etaText = (eta) => `η = ${fmtEta(eta)}`;
  // Enough decimals to show 1 - γ to two significant digits: 0.90, 0.990, 0.9990.
  const fmtGamma = (gamma) =>
    gamma.toFixed(gamma < 1 ? clamp(Math.ceil(-Math.log10(1 - gamma) - 1e-9) + 1, 2, 6) : 2);
  const gammaText = (gamma) => `γ = ${fmtGamma(gamma)}`;
  const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  const powerOfTen = (k) => `10${[...String(k)].map((c) => SUPERSCRIPT[c]).join("")}`;

  const finiteArray = (value) =>
    Array.isArray(value) ? value.map((v) => (typeof v === "number" && Number.isFinite(v) ? v : NaN)) : [];

  // Taller than wide screens would suggest on a phone, so that the plot area stays large.
  const panelHeight = (width) => Math.round(clamp(width * (width < 500 ? 0.85 : 0.72), 280, 430));

  // An SVG path through pixel points, clipped to `extent` ([[x0, y0], [x1, y1]]) so that far-off
  // points (a diverging run) never put huge or NaN numbers into the page. Gaps at NaN points.
  const clippedLine = (points, extent) => {
    const lines = [[]];
    for (const p of points) {
      if (Number.isFinite(p[0]) && Number.isFinite(p[1])) lines[lines.length - 1].push(p);
      else if (lines[lines.length - 1].length) lines.push([]);
    }
    const coordinates = lines.filter((line) => line.length > 1);
    if (!coordinates.length) return null;
    const path = d3.geoPath(d3.geoIdentity().clipExtent(extent));
    return path({ type: "MultiLineString", coordinates });
  };

  // Small circles at the pixel points inside `extent`, as one path.
  const dotsPath = (points, extent, r) => {
    const [[x0, y0], [x1, y1]] = extent;
    const inside = points.filter(([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1);
    if (!inside.length) return null;
    return inside
      .map(([x, y]) => `M${(x - r).toFixed(2)},${y.toFixed(2)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`)
      .join("");
  };

  // A short line in a curve's colour and dash, as a legend swatch (decorative).
  const swatch = (parent, style, dot = false) => {
    const svg = parent.append("svg").attr("class", "d2l-x-swatch").attr("width", 30).attr("height", 12)
      .attr("aria-hidden", "true");
    svg.append("line").attr("x1", 1).attr("x2", 29).attr("y1", 6).attr("y2", 6)
      .attr("stroke", style.color).attr("stroke-width", style.width ?? 2.5)
      .attr("stroke-dasharray", style.dash || null).attr("stroke-opacity", style.opacity ?? 1);
    if (dot) svg.append("circle").attr("cx", 15).attr("cy", 6).attr("r", 3).attr("fill", style.color);
  };

  // Axes with their labels in the margins. `x`/`y` are d3 scales; options: ticks, formats.
  const drawAxes = (g, { x, y, width, height, xLabel, yLabel, xTicks, yTicks }) => {
    g.selectAll("*").remove();
    const xAxis = d3.axisBottom(x).tickSizeOuter(0);
    const yAxis = d3.axisLeft(y).tickSizeOuter(0);
    if (xTicks) xAxis.tickValues(xTicks.values).tickFormat(xTicks.format);
    else xAxis.ticks(Math.max(3, Math.floor((width - MARGIN.left - MARGIN.right) / 70)));
    if (yTicks) yAxis.tickValues(yTicks.values).tickFormat(yTicks.format);
    else yAxis.ticks(Math.max(3, Math.floor((height - MARGIN.top - MARGIN.bottom) / 45)));
    g.append("g").attr("class", "d2l-x-axis").attr("transform", `translate(0,${height - MARGIN.bottom})`)
      .call(xAxis);
    g.append("g").attr("class", "d2l-x-axis").attr("transform", `translate(${MARGIN.left},0)`).call(yAxis);
    g.selectAll(".d2l-x-axis").attr("font-size", null).attr("font-family", null);
    g.append("text").attr("class", "d2l-x-axis-label").attr("text-anchor", "middle")
      .attr("x", (MARGIN.left + width - MARGIN.right) / 2).attr("y", height - 8).text(xLabel);
    g.append("text").attr("class", "d2l-x-axis-label").attr("x", 4).attr("y", MARGIN.top - 12).text(yLabel);
  };

  // Integer ticks of a linear scale.
  const integerTicks = (scale, count) => ({
    values: scale.ticks(count).filter(Number.isInteger),
    format: d3.format("d"),
  });

  // Ticks of a log scale: powers of ten (at most `count`), or 1-2-5 ticks within a decade or two.
  const logTicks = (scale, count) => {
    const [lo, hi] = scale.domain();
    const k0 = Math.ceil(Math.log10(lo) - 1e-9);
    const k1 = Math.floor(Math.log10(hi) + 1e-9);
    if (k1 - k0 < 2) return { values: scale.ticks(count), format: d3.format("~g") };
    const stride = Math.ceil((k1 - k0 + 1) / count);
    const values = d3.range(k0, k1 + 1).filter((k) => (k1 - k) % stride === 0).map((k) => 10 ** k);
    return { values, format: (v) => powerOfTen(Math.round(Math.log10(v))) };
  };

  // Input-to-DOM latency: from the moment an input event is handled until the DOM shows its
  // results (at once with a LocalModel, after the kernel round trip in a notebook). Each figure
  // goes to globalThis.explorerTimings, for the benchmarks. (Chromium holds pointermove events
  // until the next frame begins; that wait, before the handler runs, is not counted here.)
  class Latency {
    #pending = [];

    start() {
      this.#pending.push(performance.now());
      if (this.#pending.length > MAX_PENDING) this.#pending.shift();
    }

    done() {
      if (!this.#pending.length) return;
      globalThis.explorerTimings ??= [];
      globalThis.explorerTimings.push(performance.now() - this.#pending.shift());
    }
  }

  // The frame of a view: the root card, listeners to remove on cleanup, batched redraws.
  const createView = (model, el, kind) => {
    const root = d3.select(el).append("div").attr("class", `d2l-x d2l-x--${kind}`);
    const id = `${ID_PREFIX}-${++counter}`;
    const disposers = [() => root.remove()];
    const latency = new Latency();
    let disposed = false;

    // Every change made in one task (a LocalModel's save_changes, one kernel message) is drawn
    // once, in a microtask: before the browser paints, and within the same input event.
    let dirty = null;
    let redraw = () => {};
    const schedule = (name) => {
      if (!dirty) {
        dirty = new Set();
        queueMicrotask(() => {
          const names = dirty;
          dirty = null;
          if (!disposed) {
            redraw(names);
            refreshLive();
          }
        });
      }
      dirty.add(name);
    };
    // Keys pressed on the explorer's controls are theirs: a notebook in command mode (or a page
    // that turns pages with the arrow keys) would otherwise take arrows, Home, End, Enter, Space.
    root.on("keydown", (event) => {
      const plain = !(event.ctrlKey || event.metaKey || event.altKey);
      if (plain && OWN_KEYS.has(event.key) && event.target.closest("input, button, .d2l-x-handle")) {
        event.stopPropagation();
      }
    });
    const config = model.get("config");
    const names = Object.keys(config.controls);
    // On the website (a LocalModel, with its place among the page's explorers of its kind):
    // the live numbers of the prose and the page's address follow the explorer.
    const onPage = model instanceof X.LocalModel && model.place;
    let refreshLive = () => {};
    for (const name of [...names, ...config.results]) {
      const callback = () => schedule(name);
      model.on(`change:${name}`, callback);
      disposers.push(() => model.off(`change:${name}`, callback));
    }

    const view = {
      root,
      id,
      latency,
      config,
      // A control's value as the model holds it, sanitized (a notebook's is not checked here).
      control: (name) => X.sanitize(config.controls[name], model.get(name), config.controls[name].default),
      // Whether `names` (a redraw's changes) hold a result.
      hasResults: (names) => config.results.some((name) => names.has(name)),
      onRedraw: (callback) => (redraw = callback),
      // Calls `callback(width)` now and whenever the card's width changes.
      onResize: (callback) => {
        let width = 0;
        const measure = () => {
          const w = root.node().clientWidth || el.clientWidth || 640;
          if (w !== width) {
            width = w;
            root.classed("d2l-x--wide", w >= WIDE);
            callback(w);
          }
        };
        const observer = new ResizeObserver(measure);
        observer.observe(root.node());
        disposers.push(() => observer.disconnect());
        measure();
      },
      // Sets controls from the page (a slider, a drag, a prompt) and asks for new results.
      setControls: (values) => {
        latency.start();
        for (const [name, value] of Object.entries(values)) model.set(name, value);
        model.save_changes();
        if (onPage) X.page.toAddress(model.place.key, view.controls(), view.defaults());
      },
      // A native range input over the indices of the control's grid, its label showing the value.
      // A vertical swipe that starts on it scrolls the page and leaves the value as it was.
      slider: (parent, { name, text, format, quantity }) => {
        const grid = config.controls[name].grid ??
          d3.range(config.controls[name].low, config.controls[name].high + 1);
        const box = parent.append("div").attr("class", "d2l-x-control")
          .attr("data-quantity", quantity ?? null);
        const label = box.append("label").attr("for", `${id}-${name}`);
        label.append("span").attr("class", "d2l-x-name").text(text);
        // The value is the input's aria-valuetext; the accessible name is the text alone.
        const value = label.append("span").attr("class", "d2l-x-value").attr("aria-hidden", "true");
        const input = box.append("input").attr("type", "range").attr("id", `${id}-${name}`)
          .attr("min", 0).attr("max", grid.length - 1).attr("step", 1);
        input.on("input", (event) => {
          const v = grid[Number(event.target.value)];
          view.setControls({ [name]: v });
        });
        let before = null; // the value when a touch began: restored if the touch becomes a scroll
        input.on("pointerdown", (event) => {
          before = event.pointerType === "touch" ? view.control(name) : null;
        });
        input.on("pointercancel", () => {
          if (before !== null && view.control(name) !== before) view.setControls({ [name]: before });
          before = null;
        });
        input.on("pointerup", () => (before = null));
        const show = () => {
          const i = X.nearestIndex(grid, view.control(name));
          input.property("value", i).attr("aria-valuetext", format(grid[i]));
          value.text(format(grid[i]));
        };
        show();
        return show;
      },
      // Radio buttons for a choice control: `options` maps each option to its label.
      choice: (parent, { name, text, options }) => {
        const box = parent.append("fieldset").attr("class", "d2l-x-control d2l-x-choice");
        box.append("legend").attr("class", "d2l-x-name").text(text);
        const inputs = Object.entries(options).map(([option, label]) => {
          const item = box.append("label");
          const input = item.append("input").attr("type", "radio").attr("name", `${id}-${name}`)
            .attr("value", option).on("change", () => view.setControls({ [name]: option }));
          item.append("span").text(label);
          return input;
        });
        const show = () => inputs.forEach((input) => input.property("checked", input.attr("value") === view.control(name)));
        show();
        return show;
      },
      // The book's setting: every control at its default.
      defaults: () => Object.fromEntries(
        Object.entries(config.controls).map(([name, spec]) => [name, spec.default])),
      controls: () => Object.fromEntries(names.map((name) => [name, view.control(name)])),
      cleanup: () => {
        disposed = true;
        for (const dispose of disposers.reverse()) dispose();
      },
    };
    // The controls, then a toolbar whose button returns them to the book's setting.
    view.controlsBox = root.append("div").attr("class", "d2l-x-controls");
    view.toolbar = root.append("div").attr("class", "d2l-x-toolbar");
    view.toolbar.append("button").attr("type", "button").attr("class", "d2l-x-reset")
      .text("Reset to the book's setting").on("click", () => view.setControls(view.defaults()));
    if (onPage) {
      refreshLive = X.page.bindLive(view, model, kind, model.place.index);
      X.page.linkQuantities(config.quantities);
    }
    // Printed, an explorer is the figure of the book's setting; the reader's comes back after.
    let beforePrint = null;
    const toPrint = () => {
      beforePrint = view.controls();
      view.setControls(view.defaults());
    };
    const afterPrint = () => {
      if (beforePrint) view.setControls(beforePrint);
      beforePrint = null;
    };
    globalThis.addEventListener?.("beforeprint", toPrint);
    globalThis.addEventListener?.("afterprint", afterPrint);
    disposers.push(() => {
      globalThis.removeEventListener?.("beforeprint", toPrint);
      globalThis.removeEventListener?.("afterprint", afterPrint);
    });
    return view;
  };

  // A figure with a caption and an SVG, with its clip path and plot-area rectangle.
  const createPanel = (view, parent, caption, svgLabel) => {
    const figure = parent.append("figure").attr("class", "d2l-x-panel");
    figure.append("figcaption").text(caption);
    const plot = figure.append("div").attr("class", "d2l-x-plot");
    const svg = plot.append("svg").attr("class", "d2l-x-svg");
    if (svgLabel) svg.attr("role", "img").attr("aria-label", svgLabel);
    const clipId = `${view.id}-clip-${parent.selectAll("figure").size()}`;
    const clip = svg.append("clipPath").attr("id", clipId).append("rect");
    const area = svg.append("rect").attr("class", "d2l-x-plot-area");
    const axes = svg.append("g");
    const clipped = svg.append("g").attr("clip-path", `url(#${clipId})`);
    const panel = {
      plot, svg, axes, clipped, width: 0, height: 0,
      extent: () => [[MARGIN.left, MARGIN.top], [panel.width - MARGIN.right, panel.height - MARGIN.bottom]],
      // The plot's own width, once laid out, wins over the width asked for: the SVG is then
      // drawn at one SVG unit per pixel, and what sits on it (a handle) can use its units.
      resize: (width) => {
        panel.width = Math.max(200, Math.floor(plot.node().clientWidth || width));
        panel.height = panelHeight(panel.width);
        svg.attr("width", panel.width).attr("height", panel.height)
          .attr("viewBox", `0 0 ${panel.width} ${panel.height}`);
        const [[x0, y0], [x1, y1]] = panel.extent();
        for (const rect of [clip, area]) {
          rect.attr("x", x0).attr("y", y0).attr("width", x1 - x0).attr("height", y1 - y0);
        }
      },
    };
    return panel;
  };

  // The width of each of `count` panels: side by side on a wide card, else stacked.
  const panelWidths = (view, panelsNode, count) => {
    const inner = panelsNode.clientWidth;
    const gap = parseFloat(getComputedStyle(panelsNode).columnGap) || 0;
    return view.root.classed("d2l-x--wide") ? (inner - gap * (count - 1)) / count : inner;
  };

  // Where a point of `panel`'s SVG (in its units) lies in pixels from the plot's corner, as laid
  // out now (the SVG may be scaled while the page settles).
  const plotPixels = (panel, u, v) => {
    const scale = (panel.svg.node().getBoundingClientRect().width || panel.width) / panel.width;
    return [u * scale, v * scale];
  };

  X.ui = {
    MARGIN, clamp, clippedLine, createPanel, createView, dotsPath, drawAxes, etaText, finiteArray,
    fmtGamma, gammaText, integerTicks, logTicks, panelWidths, plotPixels, swatch,
  };
})();
