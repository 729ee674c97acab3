// One modal dialog for names and confirmations (native <dialog>: focus is trapped, Escape cancels).

import { byId } from "./dom.js";

/**
 * Asks for a value (or, with confirmOnly, a yes) and resolves with it, or with null when cancelled.
 * validate(value) returns an error message, or null when the value is fine.
 */
export function ask({ title, text = "", label = "Name", value = "", ok = "OK", validate = () => null, confirmOnly = false }) {
  const dialog = byId("prompt-dialog");
  const form = byId("prompt-form");
  const input = byId("prompt-input");
  const error = byId("prompt-error");
  byId("prompt-title").textContent = title;
  byId("prompt-text").textContent = text;
  byId("prompt-label").textContent = label;
  byId("prompt-ok").textContent = ok;
  byId("prompt-ok").classList.toggle("danger", confirmOnly);
  byId("prompt-label").hidden = confirmOnly;
  input.hidden = confirmOnly;
  input.value = value;
  error.textContent = "";

  return new Promise((resolve) => {
    const onSubmit = (e) => {
      if (e.submitter?.value !== "ok") return;
      const problem = confirmOnly ? null : validate(input.value);
      if (problem) {
        e.preventDefault();
        error.textContent = problem;
        input.focus();
      }
    };
    const onClose = () => {
      form.removeEventListener("submit", onSubmit);
      dialog.removeEventListener("close", onClose);
      resolve(dialog.returnValue === "ok" ? (confirmOnly ? true : input.value.trim()) : null);
    };
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener("close", onClose);
    dialog.returnValue = "cancel";
    dialog.showModal();
    if (confirmOnly) byId("prompt-cancel").focus();
    else {
      input.focus();
      const dot = value.lastIndexOf(".");
      input.setSelectionRange(0, dot > 0 ? dot : value.length);
    }
  });
}
