/*
 * Runs the explorers' browser core in Node, for tests/browser: loads the given files (which
 * add to globalThis.D2LExplorers), then makes each call read from standard input,
 *   {"files": [path, ...], "calls": [["compute.trajectory", [arg, ...]], ...]}
 * and writes one JSON result per call, {"value": ...} or {"error": message}. Numbers JSON
 * cannot hold travel as {"$number": "NaN" | "Infinity" | "-Infinity"} both ways.
 */
"use strict";
const fs = require("fs");
const vm = require("vm");

const decode = (value) => {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if ("$number" in value) return Number(value.$number);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
};

const encode = (value) => {
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
};

const request = JSON.parse(fs.readFileSync(0, "utf-8"));
for (const file of request.files) vm.runInThisContext(fs.readFileSync(file, "utf-8"), { filename: file });
const results = request.calls.map(([path, args]) => {
  const parts = path.split(".");
  const name = parts.pop();
  const owner = parts.reduce((object, key) => object[key], globalThis.D2LExplorers);
  try {
    return { value: encode(owner[name](...decode(args))) };
  } catch (error) {
    return { error: String(error.message) };
  }
});
process.stdout.write(JSON.stringify(results));
