/* The trajectory explorer's computation: each optimizer of config.methods from the start point. */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  X.compute.trajectory = ({ eta, gamma, steps, start }, config) => {
    const { f, grad } = X.quadratic.objective(config.objective);
    const paths = {};
    for (const name of config.methods) {
      paths[name] = X.quadratic.run2d({
        name, spec: config.optimizers[name], values: { lr: eta, gamma }, steps, start, f, grad,
        bound: config.divergence_bound,
      });
    }
    return { paths };
  };
})();
