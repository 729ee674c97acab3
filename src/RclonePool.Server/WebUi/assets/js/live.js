// The WebSocket of live events: subscribes to topics, hands each event to its listeners, and reconnects with a
// growing delay when the connection drops. The handshake is same-origin, so it carries the page's credentials.

import { wsPath } from "./api.js";

export class LiveFeed extends EventTarget {
  #socket = null;
  #topics = new Set();
  #delay = 1000;
  #timer = null;

  constructor(topics) {
    super();
    for (const topic of topics) this.#topics.add(topic);
  }

  get state() {
    return this.#socket?.readyState === WebSocket.OPEN ? "open" : this.#timer ? "closed" : "connecting";
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}${wsPath}`);
    } catch {
      this.#retry();
      return;
    }
    this.#socket = socket;
    this.#announce();
    socket.addEventListener("open", () => {
      this.#delay = 1000;
      for (const topic of this.#topics) socket.send(JSON.stringify({ action: "subscribe", topic }));
      this.#announce();
    });
    socket.addEventListener("message", (e) => this.#receive(e.data));
    socket.addEventListener("close", () => {
      if (this.#socket === socket) this.#retry();
    });
  }

  #retry() {
    this.#socket = null;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.connect();
    }, this.#delay);
    this.#delay = Math.min(this.#delay * 2, 30000);
    this.#announce();
  }

  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === "event") {
      this.dispatchEvent(new CustomEvent(message.topic, { detail: message }));
    } else if (message.type === "error") {
      this.dispatchEvent(new CustomEvent("feed-error", { detail: message }));
    }
  }

  #announce() {
    this.dispatchEvent(new CustomEvent("state", { detail: this.state }));
  }
}
