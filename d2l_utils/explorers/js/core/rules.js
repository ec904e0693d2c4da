/*
 * The update rules: a line-for-line port of d2l_utils/rules.py, one per optimizer of the
 * package's registry (d2l_utils/optimizers.py), under the same name, in the same operation
 * order and with the same correctly rounded square root, so both sides agree to the last bit.
 * Each takes (x, g, ...state, [t,] ...hyperparams) and returns [x, ...state].
 */
(() => {
  "use strict";
  const rules = {
    sgd: (x, g, lr) => [x - lr * g],
    momentum: (x, g, v, lr, beta) => {
      const vNew = v * beta + g;
      return [x - lr * vNew, vNew];
    },
    adagrad: (x, g, s, lr, eps) => {
      const sNew = s + g * g;
      return [x - (lr * g) / Math.sqrt(sNew + eps), sNew];
    },
    rmsprop: (x, g, s, lr, gamma, eps) => {
      const sNew = s * gamma + (1 - gamma) * g * g;
      return [x - (lr * g) / Math.sqrt(sNew + eps), sNew];
    },
    rmsprop_outside: (x, g, s, lr, gamma, eps) => {
      const sNew = s * gamma + (1 - gamma) * g * g;
      return [x - (lr * g) / (Math.sqrt(sNew) + eps), sNew];
    },
    rmsprop_centered: (x, g, m, s, lr, gamma, eps) => {
      const mNew = m * gamma + (1 - gamma) * g;
      const sNew = s * gamma + (1 - gamma) * g * g;
      return [x - (lr * g) / Math.sqrt(sNew - mNew * mNew + eps), mNew, sNew];
    },
    adam: (x, g, v, s, t, lr, beta1, beta2, eps) => {
      const vNew = v * beta1 + (1 - beta1) * g;
      const sNew = s * beta2 + (1 - beta2) * g * g;
      return [x - (lr * (vNew / (1 - beta1 ** t))) / (Math.sqrt(sNew / (1 - beta2 ** t)) + eps), vNew, sNew];
    },
  };

  // A step of the optimizer `name`, described as d2l_utils/explorers configure it
  // ({state, counts_steps, hyperparams: [[name, default], ...]}), with `values` overriding
  // hyperparameter defaults by name: a function (x, g, state[], t) -> [x, state[]]. An
  // optimizer without a port here is an error, never skipped.
  const stepper = (name, spec, values = {}) => {
    const rule = rules[name];
    if (!rule) throw new Error(`the browser has no port of the optimizer "${name}"`);
    const hyper = spec.hyperparams.map(([key, fallback]) => values[key] ?? fallback);
    return (x, g, state, t) => {
      const [xNew, ...stateNew] = rule(x, g, ...state, ...(spec.counts_steps ? [t] : []), ...hyper);
      return [xNew, stateNew];
    };
  };

  Object.assign(globalThis.D2LExplorers, { rules, stepper });
})();
