/*
 * The conventions explorer's computation: d2l_utils/explorers/conventions.py's convention_runs
 * in the browser: one epoch of the section's training under each framework's RMSProp and the
 * reader's, each compared with d2l's after every step.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  const lossOf = (rows, y, w, b) => {
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
      let value = 0;
      for (let j = 0; j < w.length; j++) value += rows[i][j] * w[j];
      sum += X.halfSquare(value + b - y[i]);
    }
    return sum / y.length;
  };

  // One epoch under `convention`: the parameters after each step, the loss every few steps.
  const runOne = (convention, config) => {
    const rule = X.rules[config.places[convention.place]];
    if (!rule) throw new Error(`the browser has no port of the optimizer "${config.places[convention.place]}"`);
    const { X: rows, y } = config.data;
    const w = [...config.w0];
    let b = config.b0;
    const sw = w.map(() => 0);
    let sb = 0;
    const trace = [];
    const losses = [lossOf(rows, y, w, b)];
    const order = config.orders[0];
    let step = 0;
    for (let first = 0; first < order.length; first += config.batch_size) {
      const batch = order.slice(first, first + config.batch_size);
      const r = batch.map((i) => {
        let value = 0;
        for (let j = 0; j < w.length; j++) value += rows[i][j] * w[j];
        return value + b - y[i];
      });
      for (let j = 0; j < w.length; j++) {
        let g = 0;
        for (let k = 0; k < r.length; k++) g += r[k] * rows[batch[k]][j];
        [w[j], sw[j]] = rule(w[j], g / r.length, sw[j], config.lr, convention.gamma, convention.eps);
      }
      let gb = 0;
      for (const value of r) gb += value;
      [b, sb] = rule(b, gb / r.length, sb, config.lr, convention.gamma, convention.eps);
      trace.push([...w, b]);
      step += 1;
      if (step % config.loss_every === 0) losses.push(lossOf(rows, y, w, b));
    }
    return { trace, losses };
  };

  // The frameworks' runs do not depend on the controls: computed once per configuration.
  const known = new WeakMap();
  X.compute.conventions = ({ place, eps }, config) => {
    if (!known.has(config)) {
      known.set(config, Object.fromEntries(Object.entries(config.conventions)
        .map(([name, c]) => [name, runOne(c, config)])));
    }
    const yours = runOne({ gamma: config.yours.gamma, eps, place }, config);
    const runs = { ...known.get(config), yours };
    const reference = Object.values(runs)[0].trace;
    const gaps = {};
    const losses = {};
    for (const [name, run] of Object.entries(runs)) {
      gaps[name] = run.trace.map((params, i) =>
        Math.max(...params.map((v, j) => Math.abs(v - reference[i][j]))));
      losses[name] = run.losses;
    }
    return { gaps, losses };
  };
})();
