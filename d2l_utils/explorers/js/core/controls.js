/*
 * The controls' one sanitizing rule, the same as d2l_utils/explorers/base.py's Grid, Count and
 * Point traits: each control's description (config.controls[name]) comes from Python.
 *   grid:  a number lands on the nearest grid value (ties: the lower one; infinities: the ends)
 *   count: a number is clamped to [low, high], then rounded half up
 *   point: each coordinate of a pair is clamped to its bounds
 *   choice: one of the named options
 * Anything that is no number at all (NaN, null, a string, a boolean) keeps the last good value.
 */
(() => {
  "use strict";
  const clamp = (value, lo, hi) => Math.min(hi, Math.max(lo, value));
  const isNumber = (value) => typeof value === "number" && !Number.isNaN(value);

  // Index of the grid value nearest to x (the grid is ascending; ties go to the lower value).
  const nearestIndex = (grid, x) => {
    const target = clamp(x, grid[0], grid[grid.length - 1]);
    let best = 0;
    for (let i = 1; i < grid.length; i++) {
      if (Math.abs(grid[i] - target) < Math.abs(grid[best] - target)) best = i;
    }
    return best;
  };

  const rules = {
    grid: (spec, value, last) => (isNumber(value) ? spec.grid[nearestIndex(spec.grid, value)] : last),
    count: (spec, value, last) =>
      isNumber(value) ? Math.floor(clamp(value, spec.low, spec.high) + 0.5) : last,
    choice: (spec, value, last) => (spec.options.includes(value) ? value : last),
    point: (spec, value, last) => {
      if (!Array.isArray(value) || value.length !== 2) return last;
      return Object.values(spec.bounds).map(([lo, hi], i) =>
        isNumber(value[i]) ? clamp(value[i], lo, hi) : last[i]);
    },
  };

  // The value of the control described by `spec` nearest to `value`; `last` is its last good one.
  const sanitize = (spec, value, last) => {
    const rule = rules[spec.type];
    if (!rule) throw new Error(`unknown control type "${spec.type}"`);
    return rule(spec, value, last);
  };

  // Every control of `config`, sanitized against `last` (the controls' last good values).
  const sanitizeAll = (config, values, last) =>
    Object.fromEntries(Object.entries(config.controls).map(([name, spec]) =>
      [name, sanitize(spec, values[name], last[name])]));

  Object.assign(globalThis.D2LExplorers, { clamp, isNumber, nearestIndex, sanitize, sanitizeAll });
})();
