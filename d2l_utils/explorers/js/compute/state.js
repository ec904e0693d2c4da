/* The state explorer's computation: d2l_utils/explorers/state.py's state_run in the browser. */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const KEYS = ["x1", "x2", "f", "g1", "g2", "s1", "s2", "r1", "r2"];

  X.compute.state = ({ eta, gamma }, config) => {
    const { a, b } = config.objective;
    const run = Object.fromEntries(KEYS.map((key) => [key, []]));
    run.diverged = 0;
    const record = (x1, x2, s1, s2) => {
      const values = [x1, x2, a * x1 * x1 + b * x2 * x2, 2 * a * x1, 2 * b * x2, s1, s2,
        eta / Math.sqrt(s1 + config.eps), eta / Math.sqrt(s2 + config.eps)];
      KEYS.forEach((key, i) => run[key].push(values[i]));
    };
    let [x1, x2] = config.start;
    let [s1, s2] = [0, 0];
    record(x1, x2, s1, s2);
    for (let t = 1; t <= config.steps; t++) {
      [x1, s1] = X.rules.rmsprop(x1, 2 * a * x1, s1, eta, gamma, config.eps);
      [x2, s2] = X.rules.rmsprop(x2, 2 * b * x2, s2, eta, gamma, config.eps);
      if (!(Math.abs(x1) <= config.divergence_bound && Math.abs(x2) <= config.divergence_bound)) {
        run.diverged = t;
        break;
      }
      record(x1, x2, s1, s2);
    }
    return { run };
  };
})();
