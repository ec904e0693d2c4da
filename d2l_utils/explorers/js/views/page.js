/*
 * What an explorer shares with the page around it, on the website:
 *   - its controls in the page's address (?trajectory.eta=0.56&trajectory.start=1,2), so a link
 *     reproduces what a reader set; only the controls off the book's setting are written;
 *   - live numbers in the prose: <span class="d2l-live" data-explorer="weights"
 *     data-show="window" data-digits="2">, updated as the explorer changes; one with
 *     data-control="gamma" is also a slider the reader drags (or moves with the arrow keys);
 *   - linked quantities: the parts of an equation typeset with \class{d2l-q-NAME}{...}, the
 *     code tokens that name the quantity (config.quantities, from Python) and the explorer's
 *     elements marked data-quantity="NAME" light up together when one is pointed at or tapped,
 *     or when the control that sets the quantity has the keyboard's focus.
 */
(() => {
  "use strict";
  const X = globalThis.D2LExplorers;

  // ----- the address -----
  const encode = (value) => (Array.isArray(value) ? value.join(",") : String(value));
  const decode = (text) => (text.includes(",") ? text.split(",").map(Number) : Number(text));

  // The controls the address gives the explorer `key` (all as written; sanitized by the model).
  const fromAddress = (key, specs) => {
    const params = new URLSearchParams(globalThis.location?.search ?? "");
    const found = {};
    for (const name of Object.keys(specs)) {
      const text = params.get(`${key}.${name}`);
      if (text !== null && text !== "") found[name] = decode(text);
    }
    return found;
  };

  let writing = null;
  // Writes the explorer's controls that differ from the book's setting (after a quiet 300 ms:
  // browsers throttle history updates made on every frame of a drag).
  const toAddress = (key, controls, defaults) => {
    clearTimeout(writing);
    writing = setTimeout(() => {
      const url = new URL(globalThis.location.href);
      for (const [name, value] of Object.entries(controls)) {
        const same = JSON.stringify(value) === JSON.stringify(defaults[name]);
        if (same) url.searchParams.delete(`${key}.${name}`);
        else url.searchParams.set(`${key}.${name}`, encode(value));
      }
      globalThis.history.replaceState(globalThis.history.state, "", url);
    }, 300);
  };

  // ----- live numbers -----
  // The value at a dotted path of the model ("window", "paths.rmsprop.x1.-1": -1 is the last;
  // "run.r2.$t": the index is the model's value of t).
  const valueAt = (model, path) => path.split(".").reduce((value, part, i) => {
    if (i === 0) return model.get(part);
    if (value === null || value === undefined) return undefined;
    const index = part.startsWith("$") ? model.get(part.slice(1)) : Number(part);
    return Array.isArray(value) && Number.isInteger(index) ? value.at(index) : value[part];
  }, undefined);

  const show = (span, value) => {
    const digits = Number(span.dataset.digits ?? 2);
    const text = typeof value === "number" && Number.isFinite(value)
      ? value.toFixed(digits) : span.dataset.infinite ?? "∞";
    span.textContent = `${span.dataset.prefix ?? ""}${text}`;
    if (span.getAttribute("role") === "slider") span.setAttribute("aria-valuetext", text);
  };

  // Binds the page's live numbers that name `kind` (the `index`-th explorer of its kind) to view.
  const bindLive = (view, model, kind, index, root = document) => {
    const spans = [...root.querySelectorAll(`.d2l-live[data-explorer="${kind}"]`)]
      .filter((span) => Number(span.dataset.index ?? 0) === index);
    const updates = [];
    for (const span of spans) {
      const name = span.dataset.control;
      const path = name ?? span.dataset.show;
      const update = () => show(span, valueAt(model, path));
      updates.push(update);
      if (name && view.config.controls[name]?.grid) dragNumber(span, view, name);
      update();
    }
    return () => updates.forEach((update) => update());
  };

  // A number in the prose that sets a grid control: drag it sideways, or focus it and use the
  // arrow keys (Home and End for the ends).
  const dragNumber = (span, view, name) => {
    const grid = view.config.controls[name].grid;
    span.classList.add("d2l-live--control");
    span.tabIndex = 0;
    span.setAttribute("role", "slider");
    span.setAttribute("aria-label", span.dataset.label ?? name);
    span.setAttribute("aria-valuemin", grid[0]);
    span.setAttribute("aria-valuemax", grid[grid.length - 1]);
    const moveTo = (i) => view.setControls({ [name]: grid[X.clamp(i, 0, grid.length - 1)] });
    const index = () => X.nearestIndex(grid, view.control(name));
    let drag = null;
    span.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, from: index(), id: event.pointerId };
      span.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    span.addEventListener("pointermove", (event) => {
      if (drag?.id === event.pointerId) moveTo(drag.from + Math.round((event.clientX - drag.x) / 6));
    });
    const end = () => (drag = null);
    span.addEventListener("pointerup", end);
    span.addEventListener("pointercancel", end);
    span.addEventListener("keydown", (event) => {
      const steps = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[event.key];
      if (steps) moveTo(index() + steps);
      else if (event.key === "Home") moveTo(0);
      else if (event.key === "End") moveTo(grid.length - 1);
      else return;
      event.preventDefault();
    });
  };

  // ----- linked quantities -----
  let linked = false;
  const QUANTITY_CLASS = /^d2l-q-(?!on$)(.+)$/;
  // After a displayed equation with linked quantities, a row of buttons, one per quantity
  // in the order they appear: shown while one of them has the focus (the first Tab after
  // the equation reaches it), so the keyboard can light a quantity as a pointer does.
  const keyButtons = (math, quantities, light) => {
    const names = [...new Set([...math.querySelectorAll("svg [class]")].map((el) =>
      [...el.classList].map((c) => c.match(QUANTITY_CLASS)?.[1]).find((n) => n in quantities))
      .filter(Boolean))];
    if (!names.length) return;
    const row = document.createElement("div");
    row.className = "d2l-q-keys";
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "Light up a quantity of the equation above");
    for (const name of names) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "d2l-q-key";
      button.textContent = quantities[name].label;
      button.setAttribute("aria-pressed", "false");
      const pressed = () => button.getAttribute("aria-pressed") === "true";
      button.addEventListener("focus", () => light(name, true));
      button.addEventListener("blur", () => light(name, pressed()));
      button.addEventListener("click", () => {
        button.setAttribute("aria-pressed", String(!pressed()));
        light(name, pressed());
      });
      row.append(button);
    }
    math.after(row);
  };
  // Makes the page's equations, code and explorers point at each other (once per page).
  const linkQuantities = (quantities, root = document) => {
    if (linked || !quantities) return;
    linked = true;
    const members = (name) => [
      ...root.querySelectorAll(`.d2l-q-${name}, [data-quantity="${name}"]`),
      ...[...root.querySelectorAll(".cell_input pre span")]
        .filter((token) => quantities[name].code.includes(token.textContent)),
    ];
    const light = (name, on) => members(name).forEach((el) => el.classList.toggle("d2l-q-on", on));
    for (const name of Object.keys(quantities)) {
      const on = () => light(name, true);
      // In an equation, by pointer or tap. Its SVG is hidden from screen readers (MathJax
      // gives them the MathML beside it), so nothing in it takes the focus: the keyboard
      // has the equation's row of quantity buttons (keyButtons), and the controls below.
      for (const part of root.querySelectorAll(`svg .d2l-q-${name}`)) {
        let pressed = false;
        part.addEventListener("pointerenter", on);
        part.addEventListener("pointerleave", () => light(name, pressed));
        part.addEventListener("click", () => {
          pressed = !pressed;
          light(name, pressed);
        });
      }
    }
    for (const math of root.querySelectorAll('mjx-container[display="true"]')) {
      keyButtons(math, quantities, light);
    }
    // A slider inside an element marked data-quantity (the explorers' views add theirs later).
    const quantityOf = (event) => {
      const name = event.target.closest?.("[data-quantity]")?.dataset.quantity;
      return event.target.matches?.("input") && name in quantities ? name : null;
    };
    root.addEventListener("focusin", (event) => {
      const name = quantityOf(event);
      if (name) light(name, true);
    });
    root.addEventListener("focusout", (event) => {
      const name = quantityOf(event);
      if (name) light(name, false);
    });
  };

  X.page = { bindLive, fromAddress, linkQuantities, toAddress, valueAt };
})();
