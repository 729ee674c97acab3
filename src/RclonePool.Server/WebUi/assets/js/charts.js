// Hand-drawn SVG charts: a two-line time series and horizontal bars. Sizes are in viewBox units; CSS scales them.

import { h } from "./dom.js";
import { bytes, rate } from "./format.js";

/** Upload and download rates over the last samples (oldest first), with a scale on the left. */
export function throughputChart(samples, capacity, width = 600) {
  const height = 160;
  const left = 64;
  const top = 8;
  const bottom = 20;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const peak = Math.max(1024, ...samples.map((s) => Math.max(s.up, s.down)));
  const max = niceCeiling(peak);
  const x = (i) => left + (capacity <= 1 ? 0 : (i + capacity - samples.length) * (plotW / (capacity - 1)));
  const y = (v) => top + plotH - (v / max) * plotH;
  const line = (key) => samples.map((s, i) => `${x(i).toFixed(1)},${y(s[key]).toFixed(1)}`).join(" ");
  const grid = [0, 0.5, 1].map((f) => [
    h("svg:line", { class: "grid-line", x1: left, x2: width - 8, y1: y(max * f), y2: y(max * f) }),
    h("svg:text", { x: left - 6, y: y(max * f) + 4, "text-anchor": "end" }, rate(max * f)),
  ]);
  const last = samples.at(-1) ?? { up: 0, down: 0 };
  return h("svg:svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Upload ${rate(last.up)}, download ${rate(last.down)} now` },
    grid,
    h("svg:text", { x: left, y: height - 4 }, `${capacity} s ago`),
    h("svg:text", { x: width - 8, y: height - 4, "text-anchor": "end" }, "now"),
    samples.length > 1 ? h("svg:polyline", { class: "line-down", points: line("down") }) : null,
    samples.length > 1 ? h("svg:polyline", { class: "line-up", points: line("up") }) : null);
}

/** One bar per remote: used against its total (used + free), labelled with both. */
export function usageChart(remotes, width = 600) {
  const row = 38;
  const labelW = Math.min(180, Math.round(width * 0.3));
  const barW = width - labelW - 8;
  const height = Math.max(row, remotes.length * row);
  const rows = remotes.map((r, i) => {
    const total = r.total_bytes ?? (r.used_bytes ?? 0) + (r.free_bytes ?? 0);
    const used = r.used_bytes ?? 0;
    const share = total > 0 ? Math.min(1, used / total) : 0;
    const yTop = i * row + 4;
    const label = `${bytes(used)} used${r.free_bytes !== null && r.free_bytes !== undefined ? `, ${bytes(r.free_bytes)} free` : ""}`;
    return h("svg:g", {},
      h("svg:title", {}, `${r.name}: ${label}`),
      h("svg:text", { class: "bar-label", x: 0, y: yTop + 12 }, truncate(r.name, Math.max(8, Math.floor(labelW / 7)))),
      h("svg:text", { x: 0, y: yTop + 26 }, total > 0 ? `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %` : "size unknown"),
      h("svg:rect", { class: "bar-free", x: labelW, y: yTop, width: barW, height: 16, rx: 3 }),
      h("svg:rect", { class: "bar-used", x: labelW, y: yTop, width: Math.max(share > 0 ? 2 : 0, barW * share), height: 16, rx: 3 }),
      h("svg:text", { x: labelW, y: yTop + 28 }, label));
  });
  return h("svg:svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Storage used per remote" }, rows);
}

function niceCeiling(value) {
  let unit = 1;
  while (value / unit >= 1024) unit *= 1024;
  const scaled = value / unit;
  const base = 10 ** Math.floor(Math.log10(scaled));
  for (const step of [1, 2, 5, 10]) {
    if (scaled <= step * base) return step * base * unit;
  }
  return 10 * base * unit;
}

/** Keeps the end of a long name (remotes differ at their end: ".../remotes/r1", "gdrive:pool"). */
function truncate(text, length) {
  return text.length <= length ? text : `…${text.slice(text.length - length + 1)}`;
}
