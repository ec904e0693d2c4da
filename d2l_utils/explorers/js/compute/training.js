/*
 * The training explorer's computation: RMSProp on the linear model of the airfoil data, from
 * the weights and in the minibatch order that train_ch11 draws after the seed (all in config,
 * from Python), as d2l_utils/explorers/training.py's train_numpy does it in the kernel.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  // A loss as the explorers print it (training.py's format_loss writes the same).
  const formatLoss = (value) => {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return Math.abs(value) >= 1e4 ? value.toExponential(3) : value.toFixed(4);
  };

  // The book's loss of one example, (ŷ - y)² / 2, from its residual ŷ - y.
  X.halfSquare = (r) => (r * r) / 2;
  X.formatLoss = formatLoss;
  X.compute.training = ({ eta, gamma }, config) => {
    if (!config.data) {
      return { epochs_at: [], curve: [], diverged: "the training data are not in this page" };
    }
    const { X: rows, y } = config.data;
    const n = y.length;
    const batchSize = config.batch_size;
    const perEpoch = Math.ceil(n / batchSize);
    const total = perEpoch * config.orders.length;
    const w = [...config.w0];
    let b = config.b0;
    const sw = w.map(() => 0);
    let sb = 0;
    const residual = (i) => {
      let value = 0;
      for (let j = 0; j < w.length; j++) value += rows[i][j] * w[j];
      return value + b - y[i];
    };
    const fullLoss = () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += X.halfSquare(residual(i));
      return sum / n;
    };
    const startLoss = fullLoss();
    const epochsAt = [];
    const curve = [];
    let seen = 0;
    let batches = 0;
    let failed = null;
    run: for (const order of config.orders) {
      for (let first = 0; first < n; first += batchSize) {
        const batch = order.slice(first, first + batchSize);
        const m = batch.length;
        const r = batch.map(residual);
        batches += 1;
        let batchLoss = 0;
        for (const value of r) batchLoss += X.halfSquare(value);
        batchLoss /= m;
        if (!Number.isFinite(batchLoss)) {
          failed = batchLoss;
          break run;
        }
        for (let j = 0; j < w.length; j++) {
          let g = 0;
          for (let k = 0; k < m; k++) g += r[k] * rows[batch[k]][j];
          [w[j], sw[j]] = X.rules.rmsprop(w[j], g / m, sw[j], eta, gamma, config.eps);
        }
        let gb = 0;
        for (const value of r) gb += value;
        [b, sb] = X.rules.rmsprop(b, gb / m, sb, eta, gamma, config.eps);
        const before = seen;
        seen += m;
        const every = config.eval_every;
        if (Math.floor(seen / every) > Math.floor(before / every) || (batches === total && seen % every)) {
          const loss = fullLoss();
          if (!Number.isFinite(loss)) {
            failed = loss;
            break run;
          }
          epochsAt.push(batches / perEpoch);
          curve.push(loss);
        }
      }
    }
    let diverged = null;
    if (failed !== null) {
      diverged = `training diverged at epoch ${(batches / perEpoch).toFixed(2)}: the loss is ` +
        `${formatLoss(failed)}; lower the learning rate`;
    } else if (curve.length && curve[curve.length - 1] > startLoss) {
      const last = curve[curve.length - 1];
      diverged = `diverged: the loss ended at ${formatLoss(last)}, ${(last / startLoss).toPrecision(3)} ` +
        `times the starting loss ${formatLoss(startLoss)}; lower the learning rate`;
    }
    return { epochs_at: epochsAt, curve, diverged };
  };
})();
