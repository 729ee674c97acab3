// Errors shown to the user in one assertive live region, each with a close button.

import { byId, h } from "./dom.js";

export function showError(error) {
  const message = typeof error === "string" ? error : error?.message ?? "Something went wrong.";
  const region = byId("alerts");
  const item = h("div", { class: "alert" },
    h("p", {}, message),
    h("button", { type: "button", class: "small", "aria-label": "Dismiss this message", onclick: () => item.remove() }, "×"));
  region.append(item);
  while (region.children.length > 3) region.firstElementChild.remove();
}

export function clearErrors() {
  byId("alerts").replaceChildren();
}
