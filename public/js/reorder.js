// Drag and drop for the builder's questions (progressive enhancement: the Move up and Move down
// buttons work without it). Dropping a question on another, on any page, posts the new order of
// every page's questions to the same check and save as the buttons.
const root = document.querySelector('[data-module="app-reorder"]');
if (root) {
  let dragged = null;
  for (const item of root.querySelectorAll("[data-question]")) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", (e) => {
      dragged = item;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", item.dataset.question);
    });
    item.addEventListener("dragover", (e) => e.preventDefault());
    item.addEventListener("drop", (e) => {
      e.preventDefault();
      if (!dragged || dragged === item) return;
      const after = e.clientY > item.getBoundingClientRect().top + item.offsetHeight / 2;
      item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
      const layout = [...root.querySelectorAll("[data-page]")].map((page) => ({
        page: page.dataset.page,
        questions: [...page.querySelectorAll("[data-question]")].map((q) => q.dataset.question),
      }));
      const form = document.createElement("form");
      form.method = "post";
      form.action = root.dataset.action;
      for (const [name, value] of [
        ["_csrf", root.dataset.csrf],
        ["layout", JSON.stringify(layout)],
      ]) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    });
  }
}
