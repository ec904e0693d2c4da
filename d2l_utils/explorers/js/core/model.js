/*
 * LocalModel: the website's stand-in for an anywidget model. It holds an explorer's state
 * (kind, config, controls, results) and recomputes the results in the browser, with
 * D2LExplorers.compute[kind], whenever the controls are saved.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  const sameValue = (a, b) =>
    Object.is(a, b) ||
    (typeof a === "object" && typeof b === "object" && a !== null && b !== null &&
      JSON.stringify(a) === JSON.stringify(b));

  // The computation of `kind`; an explorer the browser cannot compute is an error.
  const computation = (kind) => {
    const compute = X.compute[kind];
    if (!compute) throw new Error(`the browser has no computation for the explorer "${kind}"`);
    return compute;
  };

  class LocalModel {
    #state;
    #listeners = new Map();
    #good; // the last good controls: what replaces a value that is no number at all

    constructor(state) {
      this.#state = { ...state };
      computation(state.kind);
      const defaults = Object.fromEntries(
        Object.entries(state.config.controls).map(([name, spec]) => [name, spec.default]));
      this.#good = X.sanitizeAll(state.config, state, defaults);
    }

    get(name) {
      return this.#state[name];
    }

    set(name, value) {
      const old = this.#state[name];
      this.#state[name] = value;
      if (!sameValue(old, value)) this.#emit(name);
    }

    on(event, callback) {
      if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
      this.#listeners.get(event).add(callback);
    }

    off(event, callback) {
      if (event === undefined) this.#listeners.clear();
      else if (callback === undefined) this.#listeners.delete(event);
      else this.#listeners.get(event)?.delete(callback);
    }

    // Snaps the controls to allowed values, recomputes and sets every result, synchronously.
    save_changes() {
      const { kind, config } = this.#state;
      const controls = X.sanitizeAll(config, this.#state, this.#good);
      this.#good = controls;
      for (const [name, value] of Object.entries(controls)) this.set(name, value);
      for (const [name, value] of Object.entries(computation(kind)(controls, config))) {
        this.#state[name] = value;
        this.#emit(name);
      }
    }

    send() {}

    #emit(name) {
      for (const callback of [...(this.#listeners.get(`change:${name}`) ?? [])]) {
        callback(this, this.#state[name]);
      }
    }
  }

  Object.assign(X, { LocalModel, computation });
})();
