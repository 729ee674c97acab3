// The REST API as the page uses it. Requests are same-origin, so the browser sends the credentials it already
// holds for this server (the basic-auth prompt it showed for the page) with every call.

const meta = (name, fallback) => document.querySelector(`meta[name="${name}"]`)?.content || fallback;

export const apiBase = meta("rclonepool-api", "/_rclonepool/api/v1").replace(/\/$/, "");
export const wsPath = meta("rclonepool-ws", "/_rclonepool/ws");
export const davBase = meta("rclonepool-dav", "").replace(/\/$/, "");

/** An error with the words of the server's problem details (RFC 9457), or of what went wrong on the way. */
export class ApiError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

/** "/a b/c" -> "a%20b/c": each name encoded, the slashes kept. */
export function encodePath(path) {
  return path.split("/").filter((s) => s.length > 0).map(encodeURIComponent).join("/");
}

/** The URL of a pool file's bytes; with download, the server sends it as an attachment. */
export function contentUrl(path, download) {
  return `${apiBase}/content/${encodePath(path)}${download ? "?download=1" : ""}`;
}

/** The URL of a pool directory in the browser: the WebDAV URL, which serves this page to browsers. */
export function directoryUrl(path) {
  const encoded = encodePath(path);
  return `${davBase}/${encoded}${encoded.length > 0 ? "/" : ""}`;
}

function url(path, query) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  const qs = search.toString();
  return `${apiBase}/${path}${qs ? `?${qs}` : ""}`;
}

/** Calls the API and returns the parsed JSON (null for an empty answer); throws ApiError. */
export async function call(method, path, { query, json, signal } = {}) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin", signal };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url(path, query), init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError("The server did not answer; check that rclonepool serve is still running, then retry.", 0, null);
  }
  return read(response, `${method} ${path}`);
}

async function read(response, what) {
  const text = await response.text();
  const type = response.headers.get("Content-Type") || "";
  let body = null;
  if (text.length > 0 && type.includes("json")) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (response.ok) return body;
  throw failure(response.status, body, text, what);
}

function failure(status, body, text, what) {
  if (body && (body.detail || body.title)) {
    return new ApiError(body.detail || body.title, status, body);
  }
  if (status === 401) return new ApiError("The server wants credentials again; reload the page and sign in.", status, null);
  if (status === 403) return new ApiError("Your account may not do this.", status, null);
  if (status === 404 && what.includes("/")) return new ApiError(`Not found (${what}); it may have been moved or deleted: refresh.`, status, null);
  if (status === 404) return new ApiError(`The server has no REST API at ${apiBase} (${what} answered 404); it may be an older rclonepool.`, status, null);
  const snippet = text && text.length < 300 ? `: ${text.trim()}` : "";
  return new ApiError(`${what} failed with HTTP ${status}${snippet}`, status, null);
}

/**
 * Uploads one file with POST files (multipart: remote_path first, then the file, so the server can stream it).
 * onProgress(sent, total) is called as the browser sends; resolves with the file's metadata. The returned object's
 * abort() cancels it.
 */
export function upload(file, remotePath, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("remote_path", remotePath);
    form.append("file", file, file.name);
    xhr.open("POST", url("files"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(failure(xhr.status, body, xhr.responseText, "POST files"));
    });
    xhr.addEventListener("error", () => reject(new ApiError("The upload was cut off: the connection to the server failed. Retry it.", 0, null)));
    xhr.addEventListener("abort", () => reject(new ApiError("Upload cancelled.", 0, null)));
    xhr.send(form);
  });
  promise.abort = () => xhr.abort();
  return promise;
}
