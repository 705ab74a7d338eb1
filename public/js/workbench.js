// The coding workbench from the keyboard. Progressive enhancement only: every form on the page
// posts and redirects without this script. With it, the forms are sent with fetch and the comment
// is replaced by the HTML the server returns, so the page never reloads.
//
//   j / k   next / previous comment        1-9  apply the theme with that number
//   t       the theme list (type to pick)  c    confirm its first suggested theme
//   r       mark reviewed (or not)
const list = document.querySelector("[data-workbench]");
if (list) {
  const keys = JSON.parse(list.getAttribute("data-themes") || "[]");
  const status = document.createElement("p");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  list.before(status);

  const comments = () => [...list.querySelectorAll("[data-comment]")];
  let current = null;

  function focusComment(el) {
    if (!el) return;
    if (current) current.classList.remove("app-comment--current");
    current = el;
    el.classList.add("app-comment--current");
    el.focus();
  }

  function move(step) {
    const all = comments();
    const at = current ? all.indexOf(current) : -1;
    focusComment(all[Math.min(all.length - 1, Math.max(0, at + step))]);
  }

  /** Send a form with fetch; swap in the comment the server returns. */
  async function send(form, submitter) {
    const body = new URLSearchParams(new FormData(form, submitter));
    const article = form.closest("[data-comment]");
    // getAttribute: the buttons are named "action", which shadows form.action.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({ error: "Something went wrong: try again" }));
    if (!response.ok || !data.html) {
      status.textContent = data.error || "Something went wrong: try again";
      return;
    }
    const holder = document.createElement("div");
    holder.innerHTML = data.html;
    const fresh = holder.firstElementChild;
    if (!fresh || !article) return;
    const wasCurrent = article === current;
    article.replaceWith(fresh);
    if (wasCurrent || !current) focusComment(fresh);
    const tags = [...fresh.querySelectorAll(".app-comment__themes .govuk-tag")].map((t) =>
      t.textContent.trim(),
    );
    status.textContent = `Saved. Themes: ${tags.length ? tags.join(", ") : "none"}.`;
  }

  list.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-comment-form")) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  list.addEventListener("focusin", (event) => {
    const article = event.target.closest("[data-comment]");
    if (article && article !== current) {
      if (current) current.classList.remove("app-comment--current");
      current = article;
      article.classList.add("app-comment--current");
    }
  });

  /** Apply a theme by id to the current comment (through its apply form). */
  function apply(themeId) {
    const form = current?.querySelector("[data-apply]");
    const select = form?.querySelector("select");
    if (!form || !select) return;
    if (![...select.options].some((o) => o.value === String(themeId))) {
      status.textContent = "That theme is already on this comment.";
      return;
    }
    select.value = String(themeId);
    send(form, form.querySelector("button[value=apply]"));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement
    ) {
      // In the theme list, Enter applies the theme chosen by typing; Escape goes back.
      if (target instanceof HTMLSelectElement && target.closest("[data-apply]")) {
        if (event.key === "Enter" && target.value) {
          event.preventDefault();
          const form = target.closest("form");
          send(form, form.querySelector("button[value=apply]"));
        } else if (event.key === "Escape") focusComment(target.closest("[data-comment]"));
      }
      return;
    }
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (/^[1-9]$/.test(event.key) && keys[Number(event.key) - 1] !== undefined)
      apply(keys[Number(event.key) - 1]);
    else if (event.key === "t") current?.querySelector("[data-apply] select")?.focus();
    else if (event.key === "r") current?.querySelector("[data-review]")?.click();
    else if (event.key === "c") current?.querySelector("[data-confirm]")?.click();
    else return;
    event.preventDefault();
  });
}
