// Numbers and times as people read them.

const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1536 -> "1.5 KiB"; null or undefined -> "–". */
export function bytes(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  let n = Number(value);
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
}

export const rate = (value) => `${bytes(value)}/s`;

export function count(value) {
  if (value === null || value === undefined) return "–";
  return Number(value).toLocaleString("en");
}

export function perSecond(value) {
  if (value === null || value === undefined) return "–";
  const n = Number(value);
  return `${n >= 100 ? n.toFixed(0) : n.toFixed(1)}/s`;
}

/** ISO 8601 -> local date and time, to the minute. */
export function when(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.floor(Number(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}
