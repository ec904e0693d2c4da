/* The weights explorer's computation: d2l_utils/explorers/weights.py in the browser. */
(() => {
  "use strict";
  const halfLife = (gamma) => {
    if (gamma === 0) return 0;
    return gamma < 1 ? Math.log(2) / -Math.log(gamma) : null;
  };

  globalThis.D2LExplorers.compute.weights = ({ gamma }, config) => {
    const weights = [];
    for (let t = 0; t < config.max_lags; t++) weights.push((1 - gamma) * gamma ** t);
    return { weights, window: gamma < 1 ? 1 / (1 - gamma) : null, half_life: halfLife(gamma) };
  };
})();
