/*
 * The trajectory explorer's computation: each optimizer of config.methods on
 * f = a x1² + b x2² from the start point, as d2l_utils/quadratic.py's train_2d runs it.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  // The path of one optimizer: {x1, x2, f, diverged} (diverged: the step that left the bounds).
  const path2d = (name, spec, values, steps, start, objective, bound) => {
    const { a, b } = objective;
    const f = (x1, x2) => a * x1 * x1 + b * x2 * x2; // as d2l_utils/quadratic.py writes it
    const step = X.stepper(name, spec, values);
    let [x1, x2] = start;
    let s1 = new Array(spec.state).fill(0);
    let s2 = new Array(spec.state).fill(0);
    const path = { x1: [x1], x2: [x2], f: [f(x1, x2)], diverged: 0 };
    for (let t = 1; t <= steps; t++) {
      const g1 = 2 * a * x1;
      const g2 = 2 * b * x2;
      [x1, s1] = step(x1, g1, s1, t);
      [x2, s2] = step(x2, g2, s2, t);
      // Written so that NaN counts as out of bounds too.
      if (!(Math.abs(x1) <= bound && Math.abs(x2) <= bound)) {
        path.diverged = t;
        break;
      }
      path.x1.push(x1);
      path.x2.push(x2);
      path.f.push(f(x1, x2));
    }
    return path;
  };

  X.path2d = path2d;
  X.compute.trajectory = ({ eta, gamma, steps, start }, config) => {
    const values = { lr: eta, gamma };
    const paths = {};
    for (const name of config.methods) {
      paths[name] = path2d(name, config.optimizers[name], values, steps, start,
        config.objective, config.divergence_bound);
    }
    return { paths };
  };
})();
