// The overview: live figures from the WebSocket's stats topic, the pool's status, storage per remote, the remotes'
// state, and the last health and verification results.

import { call } from "./api.js";
import { badge, byId, fill, h } from "./dom.js";
import { bytes, count, duration, perSecond, rate, when } from "./format.js";
import { throughputChart, usageChart } from "./charts.js";
import { showError } from "./alerts.js";

const samplesKept = 60;

export class Overview {
  #samples = [];
  #refreshing = null;
  #remotesShown = [];

  constructor(feed) {
    feed.addEventListener("stats", (e) => this.#stats(e.detail.data));
    feed.addEventListener("health", (e) => this.#healthEvent(e.detail));
    feed.addEventListener("verification", (e) => this.#verification(e.detail));
    feed.addEventListener("remote_error", () => this.refreshSoon());
    feed.addEventListener("files", () => this.refreshSoon());
    byId("health-refresh").addEventListener("click", () => this.#health(true));
    byId("verify-run").addEventListener("click", () => this.#verify());
    this.#drawThroughput();
    // Charts are drawn at their box's width, so their text stays readable on a phone.
    new ResizeObserver(() => {
      this.#drawThroughput();
      this.#drawUsage();
    }).observe(byId("usage-chart"));
  }

  /** Loads status, remotes and health (each failure shown on its own). */
  async refresh() {
    await Promise.all([this.#status(), this.#remotes(), this.#health(false)]);
    await this.#status(); // the health the first check found
  }

  /** Coalesces bursts of events (a folder upload) into one refresh a second later. */
  refreshSoon() {
    if (this.#refreshing) return;
    this.#refreshing = setTimeout(async () => {
      this.#refreshing = null;
      await Promise.all([this.#status(), this.#remotes()]);
    }, 1000);
  }

  #stats(data) {
    fill(byId("stat-up"), rate(data.upload_bytes_per_second));
    fill(byId("stat-down"), rate(data.download_bytes_per_second));
    fill(byId("stat-ops"), perSecond(data.operations_per_second));
    fill(byId("stat-errors"), perSecond(data.errors_per_second));
    fill(byId("stat-up-total"), `${bytes(data.upload_bytes_total)} in total`);
    fill(byId("stat-down-total"), `${bytes(data.download_bytes_total)} in total`);
    fill(byId("stat-ops-total"), `${count(data.operations_total)} in total`);
    fill(byId("stat-errors-total"), `${count(data.errors_total)} in total`);
    byId("stat-errors").classList.toggle("bad", (data.errors_per_second ?? 0) > 0);
    this.#samples.push({ up: data.upload_bytes_per_second ?? 0, down: data.download_bytes_per_second ?? 0 });
    if (this.#samples.length > samplesKept) this.#samples.shift();
    this.#drawThroughput();
  }

  #drawThroughput() {
    fill(byId("throughput-chart"), throughputChart(this.#samples, samplesKept, widthOf("throughput-chart")));
  }

  #drawUsage() {
    const remotes = this.#remotesShown;
    fill(byId("usage-chart"), remotes.length > 0 ? usageChart(remotes, widthOf("usage-chart")) : h("p", {}, "The pool has no remotes."));
  }

  async #status() {
    try {
      // The quota is in stats, for a user of a multi-user server only; the overview goes on without it.
      const [s, stats] = await Promise.all([call("GET", "status"), call("GET", "stats").catch(() => null)]);
      fill(byId("pool-facts"),
        h("dt", {}, "Health"), h("dd", {}, healthBadge(s.health)),
        h("dt", {}, "Files"), h("dd", {}, `${plural(s.pool?.files, "file")} in ${plural(s.pool?.directories, "directory", "directories")}`),
        h("dt", {}, "Stored"), h("dd", {}, bytes(s.pool?.bytes)),
        stats?.quota ? [h("dt", {}, "Quota"), h("dd", { id: "quota" }, quotaText(stats.quota))] : null,
        h("dt", {}, "Remotes"), h("dd", {}, `${count(s.pool?.remotes_answering)} of ${count(s.pool?.remotes)} answering`),
        h("dt", {}, "Up for"), h("dd", {}, duration(s.uptime_seconds)),
        h("dt", {}, "Version"), h("dd", {}, s.version ?? "–"));
    } catch (e) {
      fill(byId("pool-facts"), h("dt", {}, "Status"), h("dd", {}, e.message));
    }
  }

  async #remotes() {
    const body = byId("remotes-table").tBodies[0];
    try {
      const remotes = await call("GET", "remotes");
      this.#remotesShown = remotes;
      this.#drawUsage();
      fill(body, remotes.map((r) => h("tr", {},
        h("th", { scope: "row", title: r.remote },
          h("span", { class: "full-name" }, r.name), h("span", { class: "short-name" }, shortName(r.name)),
          r.draining ? h("span", { class: "draining-inline" }, " ", badge("draining", "warn")) : null),
        h("td", {}, r.answering ? badge("answering", "ok") : badge("not answering", "bad")),
        h("td", {}, circuitBadge(r.circuit)),
        h("td", { class: "num" }, bytes(r.used_bytes)),
        h("td", { class: "num" }, bytes(r.free_bytes)),
        h("td", { class: "num" }, count(r.objects)),
        h("td", {}, r.draining ? badge("draining", "warn") : "no"))));
    } catch (e) {
      fill(body, h("tr", {}, h("td", { colspan: 7 }, e.message)));
      fill(byId("usage-chart"), h("p", {}, e.message));
    }
  }

  async #health(userAsked) {
    const target = byId("health-body");
    const button = byId("health-refresh");
    button.disabled = true;
    try {
      this.#showHealth(await call("GET", "health"));
    } catch (e) {
      fill(target, h("p", {}, e.message));
      if (userAsked) showError(e);
    } finally {
      button.disabled = false;
    }
  }

  #showHealth(result) {
    const files = result.files;
    const facts = [h("dt", {}, "Checked"), h("dd", {}, when(result.checked_at))];
    if (files) {
      facts.push(h("dt", {}, "Files"), h("dd", {},
        `${count(files.healthy)} healthy, ${count(files.degraded)} degraded, ${count(files.critical)} critical, ${count(files.lost)} lost`));
    }
    const unreachable = (result.remotes ?? []).filter((r) => !r.reachable);
    if (unreachable.length > 0) {
      facts.push(h("dt", {}, "Unreachable"), h("dd", {}, unreachable.map((r) => r.name).join(", ")));
    }
    const sick = (files?.not_healthy ?? []).slice(0, 10).map((f) => h("li", {}, healthBadge(f.state), " ", f.path));
    fill(byId("health-body"),
      h("p", {}, healthBadge(result.state), " ", result.summary ?? ""),
      h("dl", { class: "facts" }, facts),
      sick.length > 0 ? h("ul", { class: "events", "aria-label": "Files that are not healthy" }, sick) : null);
  }

  #healthEvent(message) {
    const data = message.data ?? {};
    this.#showHealth({ state: data.state, summary: data.summary, checked_at: message.time });
    this.refreshSoon();
  }

  #verification(message) {
    const data = message.data ?? {};
    const list = byId("verify-events");
    list.prepend(h("li", {}, data.intact ? badge("intact", "ok") : badge("damaged", "bad"), " ", data.path ?? "", data.detail ? ` – ${data.detail}` : ""));
    while (list.children.length > 20) list.lastElementChild.remove();
  }

  async #verify() {
    const button = byId("verify-run");
    const target = byId("verify-body");
    button.disabled = true;
    fill(target, h("p", {}, "Verifying…"));
    try {
      let job = await call("POST", "verify", { json: { quick: true } });
      while (job && job.state && (job.state === "queued" || job.state === "running")) {
        const progress = job.progress;
        fill(target, h("p", {}, `Verifying… ${progress ? `${count(progress.done)} of ${count(progress.total)} ${progress.unit ?? ""}` : ""}`));
        await new Promise((resolve) => setTimeout(resolve, 1000));
        job = await call("GET", `jobs/${encodeURIComponent(job.id)}`);
      }
      this.#showVerify(job);
    } catch (e) {
      fill(target, h("p", {}, e.message));
      showError(e);
    } finally {
      button.disabled = false;
    }
  }

  #showVerify(job) {
    const target = byId("verify-body");
    if (!job) {
      fill(target, h("p", {}, "The server answered without a result."));
      return;
    }
    if (job.state === "failed" || job.error) {
      fill(target, h("p", {}, badge("failed", "bad"), " ", job.error?.detail ?? job.error?.title ?? "The verification failed."));
      return;
    }
    const result = job.result ?? job;
    const facts = Object.entries(result).filter(([, v]) => v === null || typeof v !== "object")
      .map(([key, value]) => [h("dt", {}, label(key)), h("dd", {}, typeof value === "number" ? count(value) : String(value))]);
    fill(target,
      h("p", {}, job.state === "cancelled" ? badge("cancelled", "warn") : badge("finished", "ok"), " ", when(job.finished_at ?? new Date().toISOString())),
      h("dl", { class: "facts" }, facts));
  }
}

/** "gdrive:pool" stays; a long local path keeps its last two names ("…/remotes/r1"). */
function shortName(name) {
  if (name.length <= 18) return name;
  const parts = name.split("/").filter((p) => p.length > 0);
  return parts.length >= 2 ? `…/${parts.slice(-2).join("/")}` : `…${name.slice(-17)}`;
}

function widthOf(id) {
  return Math.max(280, Math.round(byId(id).clientWidth || 600));
}

function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${Number(n) === 1 ? one : many}`;
}

function healthBadge(state) {
  const tone = { healthy: "ok", intact: "ok", degraded: "warn", critical: "bad", damaged: "bad" }[state] ?? "muted";
  return badge(state ?? "unknown", tone);
}

function circuitBadge(circuit) {
  const tone = { closed: "ok", half_open: "warn", open: "bad" }[circuit] ?? "muted";
  return badge((circuit ?? "unknown").replace("_", " "), tone);
}

function label(key) {
  const text = key.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "1.2 MB of 10 MB, 3 of 100 files" for a user's quota (a limit of 0 is none). */
function quotaText(q) {
  const used = q.quota_bytes > 0 ? `${bytes(q.used_bytes)} of ${bytes(q.quota_bytes)}` : `${bytes(q.used_bytes)}, no byte limit`;
  const files = q.quota_files > 0 ? `${count(q.used_files)} of ${count(q.quota_files)} files` : plural(q.used_files, "file");
  return `${used}, ${files} (user ${q.user})`;
}
