// The file browser: one directory at a time (its URL is the directory's WebDAV URL, so links and reloads work),
// breadcrumbs, uploads with progress, download, rename, delete and new folder, all through the REST API.

import { call, contentUrl, directoryUrl, upload } from "./api.js";
import { byId, fill, h } from "./dom.js";
import { bytes, when } from "./format.js";
import { showError } from "./alerts.js";
import { ask } from "./prompt.js";

const pageSize = 500;

export class FileBrowser {
  #dir = "/";
  #cursor = null;
  #loading = null;

  constructor(onNavigate) {
    this.onNavigate = onNavigate;
    byId("upload-input").addEventListener("change", (e) => {
      const files = [...e.target.files];
      e.target.value = "";
      this.#uploadAll(files);
    });
    byId("new-folder").addEventListener("click", () => this.#newFolder());
    byId("refresh-files").addEventListener("click", () => this.load(this.#dir));
    byId("files-more").addEventListener("click", () => this.#page(false));
  }

  get directory() {
    return this.#dir;
  }

  /** Shows directory `dir` (a pool path such as "/a/b"). */
  async load(dir) {
    this.#dir = normalise(dir);
    this.#cursor = null;
    this.#crumbs();
    await this.#page(true);
  }

  async #page(first) {
    const body = byId("files-table").tBodies[0];
    const dir = this.#dir;
    this.#loading?.abort();
    const controller = new AbortController();
    this.#loading = controller;
    if (first) fill(body, h("tr", {}, h("td", { colspan: 4 }, "loading…")));
    try {
      const listing = await call("GET", "files", { query: { dir, recursive: false, limit: pageSize, cursor: first ? null : this.#cursor }, signal: controller.signal });
      if (dir !== this.#dir) return;
      const rows = sorted(listing.entries ?? []).map((entry) => this.#row(entry));
      if (first) fill(body, rows);
      else body.append(...rows);
      this.#cursor = listing.next_cursor ?? null;
      byId("files-more").hidden = this.#cursor === null;
      byId("files-empty").hidden = body.rows.length > 0;
    } catch (e) {
      if (e.name === "AbortError") return;
      fill(body, h("tr", {}, h("td", { colspan: 4 }, e.message)));
      byId("files-empty").hidden = true;
    }
  }

  #row(entry) {
    const isDir = entry.type === "directory";
    const name = entry.name ?? entry.path.split("/").pop();
    const link = isDir
      ? h("a", { href: directoryUrl(entry.path), onclick: (e) => this.#follow(e, entry.path) }, name)
      : h("a", { href: contentUrl(entry.path, false) }, name);
    const actions = [];
    if (!isDir) {
      actions.push(h("a", { class: "button small", href: contentUrl(entry.path, true), download: name, "aria-label": `Download ${name}` }, "Download"));
    }
    actions.push(h("button", { type: "button", class: "small", "aria-label": `Rename ${name}`, onclick: () => this.#rename(entry.path, name) }, "Rename"));
    actions.push(h("button", { type: "button", class: "small danger", "aria-label": `Delete ${name}`, onclick: () => this.#delete(entry.path, name, isDir) }, "Delete"));
    return h("tr", { dataset: { path: entry.path, type: entry.type } },
      h("td", { class: "name" }, icon(isDir), link),
      h("td", { class: "num" }, isDir ? "" : bytes(entry.size)),
      h("td", { class: "date" }, when(entry.modified)),
      h("td", { class: "actions" }, actions));
  }

  #follow(event, path) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.onNavigate(path);
  }

  #crumbs() {
    const names = this.#dir.split("/").filter((s) => s.length > 0);
    const items = [h("li", {}, crumb("Pool", "/", names.length === 0, (e) => this.#follow(e, "/")))];
    names.forEach((name, i) => {
      const path = `/${names.slice(0, i + 1).join("/")}`;
      items.push(h("li", {}, crumb(name, path, i === names.length - 1, (e) => this.#follow(e, path))));
    });
    fill(byId("crumbs"), items);
    document.title = names.length === 0 ? "rclonepool" : `${names.at(-1)} – rclonepool`;
  }

  async #uploadAll(files) {
    for (const file of files) {
      await this.#upload(file, this.#dir);
    }
    await this.load(this.#dir);
  }

  async #upload(file, dir) {
    const remotePath = join(dir, file.name);
    const bar = h("progress", { max: file.size || 1, value: 0, "aria-label": `Upload of ${file.name}` });
    const state = h("span", { class: "state" }, "0 %");
    const cancel = h("button", { type: "button", class: "small" }, "Cancel");
    const item = h("li", { dataset: { path: remotePath } }, h("div", { class: "upload-head" }, h("span", {}, remotePath), state), bar, h("div", {}, cancel));
    byId("uploads").prepend(item);
    const started = performance.now();
    const request = upload(file, remotePath, (loaded, total) => {
      // The browser counts the multipart body; show the share of the file itself.
      const fraction = total > 0 ? Math.min(1, loaded / total) : 1;
      const sent = Math.round(fraction * file.size);
      bar.value = sent;
      const seconds = (performance.now() - started) / 1000;
      state.textContent = `${Math.floor(fraction * 100)} % · ${bytes(sent)} of ${bytes(file.size)}${seconds > 0.5 ? ` · ${bytes(sent / seconds)}/s` : ""}`;
    });
    cancel.addEventListener("click", () => request.abort());
    try {
      const meta = await request;
      bar.value = bar.max;
      state.textContent = `done · ${bytes(meta?.size ?? file.size)}`;
      state.className = "state done";
      item.dataset.state = "done";
      cancel.remove();
      setTimeout(() => item.remove(), 8000);
    } catch (e) {
      state.textContent = "failed";
      state.className = "state failed";
      item.dataset.state = "failed";
      cancel.textContent = "Dismiss";
      cancel.onclick = () => item.remove();
      item.append(h("p", { class: "failed" }, e.message));
      showError(new Error(`Upload of ${file.name} failed: ${e.message}`));
    }
  }

  async #newFolder() {
    const name = await ask({ title: "New folder", text: `Create a folder in ${this.#dir}`, label: "Folder name", ok: "Create", validate: validName });
    if (name === null) return;
    try {
      await call("POST", "directories", { json: { path: join(this.#dir, name) } });
      await this.load(this.#dir);
    } catch (e) {
      showError(e);
    }
  }

  async #rename(path, name) {
    const newName = await ask({ title: `Rename ${name}`, text: `In ${parent(path)}`, label: "New name", value: name, ok: "Rename", validate: validName });
    if (newName === null || newName === name) return;
    try {
      await call("POST", "mv", { json: { from: path, to: join(parent(path), newName), overwrite: false } });
      await this.load(this.#dir);
    } catch (e) {
      showError(e);
    }
  }

  async #delete(path, name, isDir) {
    const answer = await ask({
      title: `Delete ${name}?`,
      text: isDir ? `${path} and everything in it will be deleted from the pool.` : `${path} will be deleted from the pool.`,
      ok: "Delete",
      confirmOnly: true,
    });
    if (answer === null) return;
    try {
      await call("DELETE", `files/${path.split("/").filter((s) => s).map(encodeURIComponent).join("/")}`, { query: isDir ? { recursive: true } : undefined });
      await this.load(this.#dir);
    } catch (e) {
      showError(e);
    }
  }
}

/** A folder or a page, drawn (no icon font, no emoji font needed). */
function icon(isDir) {
  const shape = isDir
    ? h("svg:path", { d: "M1.5 3.5h4l1.5 1.5h7.5v8.5h-13z", class: "icon-folder" })
    : h("svg:path", { d: "M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3", class: "icon-file" });
  return h("svg:svg", { class: "icon", viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true", focusable: "false" }, shape);
}

function crumb(text, path, current, onclick) {
  return current ? h("span", { "aria-current": "page" }, text) : h("a", { href: directoryUrl(path), onclick }, text);
}

function sorted(entries) {
  return [...entries].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === "directory" ? -1 : 1));
}

function validName(value) {
  if (value.trim().length === 0) return "Give a name.";
  if (value.includes("/")) return "A name cannot contain '/'.";
  if (value === "." || value === "..") return "'.' and '..' are not names.";
  return null;
}

export function normalise(dir) {
  const names = (dir ?? "/").split("/").filter((s) => s.length > 0);
  return `/${names.join("/")}`;
}

function join(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

function parent(path) {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}
