/* The rotation explorer's computation: d2l_utils/explorers/rotation.py in the browser. */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  X.compute.rotation = ({ angle, eta, gamma }, config) => {
    const turn = config.turns[X.nearestIndex(config.controls.angle.grid, angle)];
    const { f, grad } = X.quadratic.objective(config.objective, turn);
    const values = { lr: eta, gamma };
    const paths = {};
    for (const name of config.methods) {
      const run = X.quadratic.run2d({
        name, spec: config.optimizers[name], values, steps: config.most, start: config.start, f, grad,
        bound: config.divergence_bound,
      });
      const drawn = config.drawn + 1;
      const reached = run.f.findIndex((value) => value < config.tolerance);
      paths[name] = {
        x1: run.x1.slice(0, drawn), x2: run.x2.slice(0, drawn), f: run.f.slice(0, drawn),
        diverged: run.diverged <= config.drawn ? run.diverged : 0,
        reached: reached < 0 ? null : reached,
        blew_up: run.diverged,
      };
    }
    // RMSProp's step size of each coordinate after the drawn steps.
    const step = X.stepper("rmsprop", config.optimizers.rmsprop, values);
    let [x1, x2] = config.start;
    let [s1, s2] = [[0], [0]];
    for (let t = 1; t <= config.drawn; t++) {
      const [g1, g2] = grad(x1, x2);
      [x1, s1] = step(x1, g1, s1, t);
      [x2, s2] = step(x2, g2, s2, t);
    }
    const eps = config.optimizers.rmsprop.hyperparams.find(([name]) => name === "eps")[1];
    const scales = [s1[0], s2[0]].map((s) => {
      const scale = Number.isFinite(s) ? eta / Math.sqrt(s + eps) : NaN;
      return Number.isFinite(scale) ? scale : null;
    });
    return { paths, scales };
  };
})();
