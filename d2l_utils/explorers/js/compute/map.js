/*
 * The (η, γ) map's computation: d2l_utils/explorers/map.py in the browser, one pair at a time.
 * The map depends on the metric only: it is kept per configuration and metric, so choosing a
 * cell runs that one pair.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;
  const maps = new WeakMap();

  // One row per decay, one value per learning rate: the step at which f < tolerance first,
  // or f after the section's steps; null where the run diverged or never got there.
  const computeMap = (metric, config) => {
    const { f, grad } = X.quadratic.objective(config.objective);
    const spec = config.optimizers.rmsprop;
    const steps = metric === "steps" ? config.horizon : config.section_steps;
    return config.controls.gamma.grid.map((gamma) => config.controls.eta.grid.map((eta) => {
      let found = null;
      const run = X.quadratic.run2d({
        name: "rmsprop", spec, values: { lr: eta, gamma }, steps, start: config.start, f, grad,
        bound: config.divergence_bound,
        onStep: (t, x1, x2) => {
          if (metric === "steps" && f(x1, x2) < config.tolerance) found = t;
          return found !== null;
        },
      });
      if (run.diverged) return null;
      return metric === "steps" ? found : run.f[run.f.length - 1];
    }));
  };

  X.compute.map = ({ eta, gamma, metric }, config) => {
    if (!maps.has(config)) maps.set(config, {});
    const known = maps.get(config);
    known[metric] ??= computeMap(metric, config);
    const { f, grad } = X.quadratic.objective(config.objective);
    let reached = null;
    const spec = config.optimizers.rmsprop;
    const run = X.quadratic.run2d({
      name: "rmsprop", spec, values: { lr: eta, gamma }, steps: config.horizon, start: config.start,
      f, grad, bound: config.divergence_bound,
      onStep: (t, x1, x2) => {
        if (reached === null && f(x1, x2) < config.tolerance) reached = t;
        return reached !== null && t >= config.drawn;
      },
    });
    const drawn = config.drawn + 1;
    const path = {
      x1: run.x1.slice(0, drawn), x2: run.x2.slice(0, drawn), f: run.f.slice(0, drawn),
      diverged: run.diverged <= config.drawn ? run.diverged : 0, reached, blew_up: run.diverged,
    };
    return { values: known[metric], path };
  };
})();
