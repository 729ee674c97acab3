// The page's entry: picks the view from the URL, wires the live feed, and keeps the URL in step with the directory
// shown (a directory's URL is its WebDAV URL; the server sends this page to browsers that navigate there).

import { davBase, directoryUrl } from "./api.js";
import { byId } from "./dom.js";
import { LiveFeed } from "./live.js";
import { Overview } from "./overview.js";
import { FileBrowser, normalise } from "./files.js";
import { showError } from "./alerts.js";

const topics = ["stats", "health", "verification", "remote_error", "files"];

const feed = new LiveFeed(topics);
const overview = new Overview(feed);
const browser = new FileBrowser((path) => navigate(path, true));

feed.addEventListener("state", (e) => {
  const indicator = byId("live-state");
  indicator.dataset.state = e.detail;
  indicator.textContent = { open: "live", connecting: "connecting…", closed: "reconnecting…" }[e.detail] ?? e.detail;
});
feed.addEventListener("feed-error", (e) => showError(e.detail?.data?.detail ?? "The live feed refused a request."));
feed.addEventListener("files", (e) => {
  const path = e.detail.data?.path ?? "";
  if (currentView() === "files" && parentOf(path) === browser.directory) browser.load(browser.directory);
});

/** The pool directory the address bar names: the path after the WebDAV base, decoded. */
function directoryFromLocation() {
  let path = location.pathname;
  if (davBase && path.startsWith(davBase)) path = path.slice(davBase.length);
  try {
    return normalise(path.split("/").map(decodeURIComponent).join("/"));
  } catch {
    return "/";
  }
}

function currentView() {
  if (location.hash === "#files") return "files";
  if (location.hash === "#overview") return "overview";
  return directoryFromLocation() === "/" ? "overview" : "files";
}

function show(view) {
  for (const name of ["overview", "files"]) {
    byId(`view-${name}`).hidden = name !== view;
    const link = byId(`nav-${name}`);
    if (name === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function navigate(path, push) {
  const url = `${directoryUrl(path)}#files`;
  if (push) history.pushState({ path }, "", url);
  show("files");
  await browser.load(path);
}

async function route() {
  const view = currentView();
  show(view);
  if (view === "files") await browser.load(directoryFromLocation());
}

function parentOf(path) {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

byId("brand").setAttribute("href", directoryUrl("/"));
window.addEventListener("popstate", route);
window.addEventListener("hashchange", route);

feed.connect();
route();
overview.refresh();
setInterval(() => overview.refresh(), 30000);
