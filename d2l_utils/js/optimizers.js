// RMSProp and its neighbours on f(x) = 0.1 x1^2 + 2 x2^2, for the in-browser explorers.
// Each line mirrors d2l_utils/optimizers.py and d2l_utils/leaky_average.py, operation for
// operation, so that the page and the Python package compute the same floating-point numbers.
const EPS = 1e-6;
const MOMENTUM_BETA = 0.5;
const DIVERGENCE_BOUND = 1e6;

function f2d(x1, x2) {
  return 0.1 * x1 ** 2 + 2 * x2 ** 2;
}

function stepper(method, eta, gamma) {
  // One update of (x1, x2) with state (s1, s2); returns the next four values.
  return function (x1, x2, s1, s2) {
    const g1 = 0.2 * x1;
    const g2 = 4 * x2;
    if (method === "sgd") {
      return [x1 - eta * g1, x2 - eta * g2, 0, 0];
    }
    if (method === "momentum") {
      s1 = MOMENTUM_BETA * s1 + g1;
      s2 = MOMENTUM_BETA * s2 + g2;
      return [x1 - eta * s1, x2 - eta * s2, s1, s2];
    }
    if (method === "adagrad") {
      s1 += g1 * g1;
      s2 += g2 * g2;
    } else {
      s1 = gamma * s1 + (1 - gamma) * g1 * g1;
      s2 = gamma * s2 + (1 - gamma) * g2 * g2;
    }
    return [x1 - eta / Math.sqrt(s1 + EPS) * g1, x2 - eta / Math.sqrt(s2 + EPS) * g2, s1, s2];
  };
}

function trajectory2d(method, eta, gamma, steps, x1, x2) {
  // The path from (x1, x2); stops at the first point that leaves |x| <= DIVERGENCE_BOUND.
  const step = stepper(method, eta, gamma);
  const path = { x1: [x1], x2: [x2], f: [f2d(x1, x2)], step: [0], diverged: 0 };
  let s1 = 0;
  let s2 = 0;
  for (let t = 1; t <= steps; t++) {
    [x1, x2, s1, s2] = step(x1, x2, s1, s2);
    if (!(Math.abs(x1) <= DIVERGENCE_BOUND && Math.abs(x2) <= DIVERGENCE_BOUND)) {
      path.diverged = t;
      break;
    }
    path.x1.push(x1);
    path.x2.push(x2);
    path.f.push(f2d(x1, x2));
    path.step.push(t);
  }
  return path;
}

function leakyWeights(gamma, steps) {
  const weights = [];
  for (let t = 0; t < steps; t++) {
    weights.push((1 - gamma) * gamma ** t);
  }
  return weights;
}

function effectiveWindow(gamma) {
  return gamma === 1 ? Infinity : 1 / (1 - gamma);
}

function halfLife(gamma) {
  if (gamma === 0) {
    return 0;
  }
  return gamma === 1 ? Infinity : Math.log(2) / -Math.log(gamma);
}
