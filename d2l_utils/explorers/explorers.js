/*
 * The browser side of the book's three interactive explorers: weights, trajectory, training.
 *
 * A classic script, not an ES module: the website must also work when opened from file://,
 * where Chromium blocks module scripts. It defines
 *   globalThis.D2LExplorers = {rules, compute, render, LocalModel, mountAll, version}
 * following the explorer contract (design/explorers-contract.md), shared with the Python side.
 * d3 v7 (the vendored UMD build, global `d3`) is the only library; only the renderer needs it.
 *
 * On the website, mountAll() turns every <div class="d2l-explorer"> into an explorer driven by
 * a LocalModel, which recomputes the results with the JS port below. In a notebook, anywidget
 * calls render() with the widget's model and Python computes the results; render() only reads
 * and writes the model, so it works the same whether results come back at once or later.
 */
/* global d3 */
(() => {
  "use strict";

  const version = "1.0.0";

  // ---------------------------------------------------------------------------------------
  // Update rules: a line-for-line port of d2l_utils/rules.py, in the same operation order and
  // with the same correctly rounded square root, so both sides agree to the last bit.
  // ---------------------------------------------------------------------------------------
  const rules = {
    sgd: (x, g, lr) => [x - lr * g],
    momentum: (x, g, v, lr, beta) => {
      const vNew = beta * v + g;
      return [x - lr * vNew, vNew];
    },
    adagrad: (x, g, s, lr, eps) => {
      const sNew = s + g * g;
      return [x - (lr * g) / Math.sqrt(sNew + eps), sNew];
    },
    rmsprop: (x, g, s, lr, gamma, eps) => {
      const sNew = gamma * s + (1 - gamma) * g * g;
      return [x - (lr * g) / Math.sqrt(sNew + eps), sNew];
    },
  };

  // ---------------------------------------------------------------------------------------
  // Controls and results of each kind, and the snapping of bad control values.
  // ---------------------------------------------------------------------------------------
  const CONTROLS = {
    weights: ["gamma"],
    trajectory: ["eta", "gamma", "steps", "start"],
    training: ["eta", "gamma"],
  };
  const RESULTS = {
    weights: ["weights", "window", "half_life"],
    trajectory: ["paths"],
    training: ["epochs_at", "curve", "diverged"],
  };

  const clamp = (value, lo, hi) => Math.min(hi, Math.max(lo, value));

  // Numbers and numeric strings give a number; anything else (null, "", "abc", objects) NaN.
  const toNumber = (value) => {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "") return Number(value);
    return NaN;
  };

  // Index of the grid value nearest to x (the grid is ascending; ties go to the lower value).
  const nearestIndex = (grid, x) => {
    const target = clamp(x, grid[0], grid[grid.length - 1]);
    let best = 0;
    for (let i = 1; i < grid.length; i++) {
      if (Math.abs(grid[i] - target) < Math.abs(grid[best] - target)) best = i;
    }
    return best;
  };

  // `fallback` (the last good value) replaces what is no number at all.
  const snapToGrid = (value, grid, fallback) => {
    const x = toNumber(value);
    if (Number.isNaN(x)) return fallback ?? grid[0];
    return grid[nearestIndex(grid, x)];
  };

  const snapSteps = (value, maxSteps, fallback) => {
    const x = toNumber(value);
    if (Number.isNaN(x)) return fallback ?? maxSteps;
    return clamp(Math.round(x), 1, maxSteps);
  };

  const snapStart = (value, bounds, fallback) => {
    const [lo1, hi1] = bounds.x1;
    const [lo2, hi2] = bounds.x2;
    const safe = fallback ?? [(lo1 + hi1) / 2, (lo2 + hi2) / 2];
    if (!Array.isArray(value) || value.length !== 2) return safe;
    const x1 = toNumber(value[0]);
    const x2 = toNumber(value[1]);
    return [
      Number.isNaN(x1) ? safe[0] : clamp(x1, lo1, hi1),
      Number.isNaN(x2) ? safe[1] : clamp(x2, lo2, hi2),
    ];
  };

  // The allowed controls nearest to the given ones; `last` holds the last good values.
  const sanitize = {
    weights: (c, config, last = {}) => ({
      gamma: snapToGrid(c.gamma, config.gamma_grid, last.gamma),
    }),
    trajectory: (c, config, last = {}) => ({
      eta: snapToGrid(c.eta, config.eta_grid, last.eta),
      gamma: snapToGrid(c.gamma, config.gamma_grid, last.gamma),
      steps: snapSteps(c.steps, config.max_steps, last.steps),
      start: snapStart(c.start, config.start_bounds, last.start),
    }),
    training: (c, config, last = {}) => ({
      eta: snapToGrid(c.eta, config.eta_grid, last.eta),
      gamma: snapToGrid(c.gamma, config.gamma_grid, last.gamma),
    }),
  };

  // ---------------------------------------------------------------------------------------
  // compute[kind](controls, config) -> results, with every constant taken from config.
  // ---------------------------------------------------------------------------------------
  const halfLife = (gamma) => {
    if (gamma === 0) return 0;
    return gamma < 1 ? Math.log(2) / -Math.log(gamma) : null;
  };

  // Python's spelling of the non-finite numbers, so both sides write the same messages.
  const formatLoss = (value) => {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return Math.abs(value) >= 1e4 ? value.toExponential(3) : value.toFixed(4);
  };

  const compute = {
    weights(controls, config) {
      const { gamma } = sanitize.weights(controls, config);
      const weights = [];
      for (let t = 0; t < config.max_lags; t++) weights.push((1 - gamma) * gamma ** t);
      return { weights, window: gamma < 1 ? 1 / (1 - gamma) : null, half_life: halfLife(gamma) };
    },

    trajectory(controls, config) {
      const { eta, gamma, steps, start } = sanitize.trajectory(controls, config);
      const { a, b } = config.objective;
      const f = (x1, x2) => a * x1 * x1 + b * x2 * x2; // as d2l_utils/quadratic.py writes it
      // One update of a coordinate x with gradient g and state s: [new x, new s].
      const update = {
        sgd: (x, g) => [...rules.sgd(x, g, eta), 0],
        momentum: (x, g, s) => rules.momentum(x, g, s, eta, config.momentum_beta),
        adagrad: (x, g, s) => rules.adagrad(x, g, s, eta, config.eps),
        rmsprop: (x, g, s) => rules.rmsprop(x, g, s, eta, gamma, config.eps),
      };
      const paths = {};
      for (const method of config.methods.filter((m) => m in update)) {
        let [x1, x2] = start;
        let s1 = 0;
        let s2 = 0;
        const path = { x1: [x1], x2: [x2], f: [f(x1, x2)], diverged: 0 };
        for (let t = 1; t <= steps; t++) {
          const g1 = 2 * a * x1;
          const g2 = 2 * b * x2;
          [x1, s1] = update[method](x1, g1, s1);
          [x2, s2] = update[method](x2, g2, s2);
          // Written so that NaN counts as out of bounds too.
          if (!(Math.abs(x1) <= config.divergence_bound && Math.abs(x2) <= config.divergence_bound)) {
            path.diverged = t;
            break;
          }
          path.x1.push(x1);
          path.x2.push(x2);
          path.f.push(f(x1, x2));
        }
        paths[method] = path;
      }
      return { paths };
    },

    training(controls, config) {
      if (!config.data) {
        return { epochs_at: [], curve: [], diverged: "the training data are not in this page" };
      }
      const { eta, gamma } = sanitize.training(controls, config);
      const { X, y } = config.data;
      const n = y.length;
      const batchSize = config.batch_size;
      const perEpoch = Math.ceil(n / batchSize);
      const w = [...config.w0];
      let b = config.b0;
      const sw = w.map(() => 0);
      let sb = 0;
      const predict = (row) => {
        let value = 0;
        for (let j = 0; j < w.length; j++) value += row[j] * w[j];
        return value + b;
      };
      const fullLoss = () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (predict(X[i]) - y[i]) ** 2 / 2;
        return sum / n;
      };
      const startLoss = fullLoss();
      const epochsAt = [];
      const curve = [];
      let seen = 0;
      let batches = 0;
      // The full-data loss, recorded when finite.
      const record = () => {
        const loss = fullLoss();
        if (Number.isFinite(loss)) {
          epochsAt.push(batches / perEpoch);
          curve.push(loss);
        }
        return loss;
      };
      // Runs every batch; returns the non-finite loss that stopped the run, or null.
      const train = () => {
        for (let epoch = 0; epoch < config.epochs; epoch++) {
          const order = config.orders[epoch];
          for (let k = 0; k * batchSize < n; k++) {
            const rows = order.slice(k * batchSize, (k + 1) * batchSize);
            const m = rows.length;
            const residuals = rows.map((i) => predict(X[i]) - y[i]);
            let batchLoss = 0;
            for (const r of residuals) batchLoss += r ** 2 / 2;
            batchLoss /= m;
            batches += 1;
            if (!Number.isFinite(batchLoss)) return batchLoss;
            const gradW = w.map((_, j) => {
              let sum = 0;
              for (let r = 0; r < m; r++) sum += residuals[r] * X[rows[r]][j];
              return sum / m;
            });
            let gradB = 0;
            for (const r of residuals) gradB += r;
            gradB /= m;
            for (let j = 0; j < w.length; j++) {
              [w[j], sw[j]] = rules.rmsprop(w[j], gradW[j], sw[j], eta, gamma, config.eps);
            }
            [b, sb] = rules.rmsprop(b, gradB, sb, eta, gamma, config.eps);
            const before = seen;
            seen += m;
            if (Math.floor(seen / config.eval_every) > Math.floor(before / config.eval_every)) {
              const loss = record();
              if (!Number.isFinite(loss)) return loss;
            }
          }
        }
        if (seen % config.eval_every !== 0) {
          const loss = record();
          if (!Number.isFinite(loss)) return loss;
        }
        return null;
      };
      const failed = train();
      let diverged = null;
      if (failed !== null) {
        const epoch = (batches / perEpoch).toFixed(2);
        diverged = `training diverged at epoch ${epoch}: the loss is ${formatLoss(failed)}; lower the learning rate`;
      } else if (curve.length && curve[curve.length - 1] > startLoss) {
        const last = curve[curve.length - 1];
        diverged =
          `diverged: the loss ended at ${formatLoss(last)}, ${(last / startLoss).toPrecision(3)} times ` +
          `the starting loss ${formatLoss(startLoss)}; lower the learning rate`;
      }
      return { epochs_at: epochsAt, curve, diverged };
    },
  };

  // ---------------------------------------------------------------------------------------
  // LocalModel: the website's stand-in for an anywidget model, computing results in JS.
  // ---------------------------------------------------------------------------------------
  const sameValue = (a, b) =>
    Object.is(a, b) ||
    (typeof a === "object" && typeof b === "object" && a !== null && b !== null &&
      JSON.stringify(a) === JSON.stringify(b));

  class LocalModel {
    #state;
    #listeners = new Map();
    #good; // the last good controls: what replaces a value that is no number at all

    constructor(state) {
      this.#state = { ...state };
      this.#good = sanitize[state.kind](state, state.config);
    }

    get(name) {
      return this.#state[name];
    }

    set(name, value) {
      const old = this.#state[name];
      this.#state[name] = value;
      if (!sameValue(old, value)) this.#emit(name);
    }

    on(event, callback) {
      if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
      this.#listeners.get(event).add(callback);
    }

    off(event, callback) {
      if (event === undefined) this.#listeners.clear();
      else if (callback === undefined) this.#listeners.delete(event);
      else this.#listeners.get(event)?.delete(callback);
    }

    // Snaps the controls to allowed values, recomputes and sets every result, synchronously.
    save_changes() {
      const { kind, config } = this.#state;
      const controls = sanitize[kind](this.#state, config, this.#good);
      this.#good = controls;
      for (const [name, value] of Object.entries(controls)) this.set(name, value);
      for (const [name, value] of Object.entries(compute[kind](controls, config))) {
        this.#state[name] = value;
        this.#emit(name);
      }
    }

    send() {}

    #emit(name) {
      for (const callback of [...(this.#listeners.get(`change:${name}`) ?? [])]) {
        callback(this, this.#state[name]);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Rendering helpers shared by the three views.
  // ---------------------------------------------------------------------------------------
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
    Array.isArray(value) ? value.map(toNumber).map((v) => (Number.isFinite(v) ? v : NaN)) : [];

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
          if (!disposed) redraw(names);
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
    for (const name of [...CONTROLS[kind], ...RESULTS[kind]]) {
      const callback = () => schedule(name);
      model.on(`change:${name}`, callback);
      disposers.push(() => model.off(`change:${name}`, callback));
    }

    const view = {
      root,
      id,
      latency,
      config: model.get("config"),
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
      },
      // A native range input over the indices of `grid`, its label showing the value.
      slider: (parent, { name, text, grid, format }) => {
        const box = parent.append("div").attr("class", "d2l-x-control");
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
        const show = () => {
          const i = nearestIndex(grid, toNumber(model.get(name)) || 0);
          input.property("value", i).attr("aria-valuetext", format(grid[i]));
          value.text(format(grid[i]));
        };
        show();
        return show;
      },
      cleanup: () => {
        disposed = true;
        for (const dispose of disposers.reverse()) dispose();
      },
    };
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
      resize: (width) => {
        panel.width = Math.max(200, Math.floor(width));
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

  // ---------------------------------------------------------------------------------------
  // weights: the leaky average's weights (1-γ)γ^t, its window and its half-life.
  // ---------------------------------------------------------------------------------------
  const weightsView = (model, el) => {
    const view = createView(model, el, "weights");
    const { config } = view;
    const labels = { x: "lag t (steps back)", y: "weight (1−γ)γᵗ", ...config.labels };
    const controls = view.root.append("div").attr("class", "d2l-x-controls");
    const showGamma = view.slider(controls, {
      name: "gamma", text: "decay rate", grid: config.gamma_grid, format: gammaText,
    });
    const panels = view.root.append("div").attr("class", "d2l-x-panels d2l-x-panels--single");
    const panel = createPanel(view, panels, "How much sₜ weighs the squared gradient of t steps ago",
      "Bar chart of the weights of past squared gradients, with the window and the half-life marked");
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
      const gamma = snapToGrid(model.get("gamma"), config.gamma_grid, config.gamma_grid[0]);
      const weights = finiteArray(model.get("weights"));
      const windowValue = toNumber(model.get("window"));
      const half = toNumber(model.get("half_life"));
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
      if (RESULTS.weights.some((name) => names.has(name))) view.latency.done();
    });
    view.onResize(() => {
      panel.resize(panelWidths(view, panels.node(), 1));
      draw();
    });
    return view.cleanup;
  };

  // ---------------------------------------------------------------------------------------
  // trajectory: four optimizers on f = a x1^2 + b x2^2 from a draggable start point.
  // ---------------------------------------------------------------------------------------
  const trajectoryView = (model, el) => {
    const view = createView(model, el, "trajectory");
    const { config } = view;
    const { a, b } = config.objective;
    const methods = config.methods;
    const styleOf = (m) => config.styles[m];
    const labelOf = (m) => config.labels[m] ?? m;
    const bounds = config.start_bounds;

    const controls = view.root.append("div").attr("class", "d2l-x-controls");
    const sliders = [
      view.slider(controls, { name: "eta", text: "learning rate", grid: config.eta_grid, format: etaText }),
      view.slider(controls, { name: "gamma", text: "RMSProp decay", grid: config.gamma_grid, format: gammaText }),
      view.slider(controls, {
        name: "steps", text: "steps", grid: d3.range(1, config.max_steps + 1), format: (v) => `${v} steps`,
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

    const start = () => snapStart(model.get("start"), bounds, [0, 0]);
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
        paths[m] = { points, diverged: toNumber(p.diverged) || 0 };
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
      const steps = snapSteps(model.get("steps"), config.max_steps, config.max_steps);
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
      handle.style("transform", `translate(${x(s1).toFixed(1)}px, ${y(s2).toFixed(1)}px)`);
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
      return snapStart([round(x.invert(px)), round(y.invert(py))], bounds);
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
        start: snapStart([round(s1 + direction[0] * size), round(s2 + direction[1] * size)], bounds),
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

  // ---------------------------------------------------------------------------------------
  // training: RMSProp on the airfoil regression, the loss curve against the book's own run.
  // ---------------------------------------------------------------------------------------
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
    const controls = view.root.append("div").attr("class", "d2l-x-controls");
    const sliders = [
      view.slider(controls, { name: "eta", text: "learning rate", grid: config.eta_grid, format: etaText }),
      view.slider(controls, { name: "gamma", text: "decay rate", grid: config.gamma_grid, format: gammaText }),
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
      eta: snapToGrid(model.get("eta"), config.eta_grid, config.eta_grid[0]),
      gamma: snapToGrid(model.get("gamma"), config.gamma_grid, config.gamma_grid[0]),
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
      if (RESULTS.training.some((name) => names.has(name))) {
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

  // ---------------------------------------------------------------------------------------
  // Entry points.
  // ---------------------------------------------------------------------------------------
  const VIEWS = { weights: weightsView, trajectory: trajectoryView, training: trainingView };

  // render({model, el}) -> cleanup(): the anywidget entry point, and the website's.
  const render = ({ model, el }) => {
    const view = VIEWS[model.get("kind")];
    if (!view) {
      const message = d3.select(el).append("p").attr("class", "d2l-x-error")
        .text(`Unknown explorer kind: ${model.get("kind")}`);
      return () => message.remove();
    }
    return view(model, el);
  };

  // Mounts every explorer of the page (or of `root`) that is not mounted yet; returns them.
  const mountAll = (root = document) => {
    const mounted = [];
    for (const el of root.querySelectorAll(".d2l-explorer")) {
      if (el.d2lExplorer) continue;
      const fallback = el.querySelector(".d2l-explorer-fallback");
      let state;
      try {
        state = JSON.parse(el.querySelector("script.d2l-explorer-state")?.textContent ?? "");
      } catch {
        state = null;
      }
      const kind = state?.kind ?? el.dataset.kind;
      if (!state || !(kind in VIEWS)) {
        if (fallback) fallback.textContent = "This explorer's data could not be read.";
        continue;
      }
      const model = new LocalModel({ ...state, kind });
      if (RESULTS[kind].some((name) => state[name] === undefined)) model.save_changes();
      fallback?.remove();
      el.d2lExplorer = { model, cleanup: render({ model, el }) };
      mounted.push(el.d2lExplorer);
    }
    return mounted;
  };

  globalThis.D2LExplorers = { rules, compute, render, LocalModel, mountAll, version };

  // Loaded by a classic <script> on a page: mount that page's explorers once it is parsed.
  // (In a notebook the script runs inside anywidget's module, where currentScript is null.)
  if (typeof document !== "undefined" && document.currentScript) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll());
    else mountAll();
  }
})();
