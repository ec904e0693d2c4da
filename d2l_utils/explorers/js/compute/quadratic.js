/*
 * The 2D runs every 2D explorer draws: d2l_utils/quadratic.py's train_2d (run2d) on the
 * section's quadratic f = a x1² + b x2² or on its turned version (rotation.py's turned), with
 * the same operations in the same order, so that both sides agree to the last bit.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  // f and its gradient: the section's quadratic, or (given the direction [c, d]) its valley turned.
  const objective = ({ a, b }, turn = null) => {
    if (!turn) {
      return { f: (x1, x2) => a * x1 * x1 + b * x2 * x2, grad: (x1, x2) => [2 * a * x1, 2 * b * x2] };
    }
    const [c, d] = turn;
    return {
      f: (x1, x2) => {
        const u = c * x1 + d * x2;
        const v = c * x2 - d * x1;
        return a * u * u + b * v * v;
      },
      grad: (x1, x2) => {
        const u = c * x1 + d * x2;
        const v = c * x2 - d * x1;
        return [2 * a * u * c - 2 * b * v * d, 2 * a * u * d + 2 * b * v * c];
      },
    };
  };

  // One optimizer from `start`, `steps` steps: {x1, x2, f, diverged} (diverged: the step that
  // left |x| <= bound, 0 if none); `onStep(t, x1, x2)` may stop the run early by returning true.
  const run2d = ({ name, spec, values, steps, start, f, grad, bound, onStep = () => false }) => {
    const step = X.stepper(name, spec, values);
    let [x1, x2] = start;
    let s1 = new Array(spec.state).fill(0);
    let s2 = new Array(spec.state).fill(0);
    const path = { x1: [x1], x2: [x2], f: [f(x1, x2)], diverged: 0 };
    for (let t = 1; t <= steps; t++) {
      const [g1, g2] = grad(x1, x2);
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
      if (onStep(t, x1, x2)) break;
    }
    return path;
  };

  X.quadratic = { objective, run2d };
})();
