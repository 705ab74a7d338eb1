import type { Page } from "playwright-core";

/** What the keyboard user is on: a snapshot of document.activeElement. */
export interface Focused {
  tag: string;
  type: string;
  id: string;
  name: string;
  value: string;
  text: string;
  checked: boolean;
}

export function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const input = el as HTMLInputElement;
    return {
      tag: el.tagName.toLowerCase(),
      type: input.type ?? "",
      id: el.id,
      name: el.getAttribute("name") ?? "",
      value: typeof input.value === "string" ? input.value : "",
      text: (el.textContent ?? "").replace(/\s+/g, " ").trim(),
      checked: Boolean(input.checked),
    };
  });
}

/**
 * Press Tab until the focused element matches, as a keyboard user moves through a page. Gives up
 * after `max` presses, naming what it was looking for and where focus went.
 */
export async function tabTo(
  page: Page,
  predicate: (el: Focused) => boolean,
  what: string,
  max = 200,
): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const el = await focused(page);
    if (el && predicate(el)) return el;
    if (seen.length < 40) seen.push(el ? `${el.tag}#${el.id || el.name || el.text.slice(0, 30)}` : "(body)");
  }
  throw new Error(
    `Tab did not reach ${what} in ${max} presses on ${page.url()}; focus went: ${seen.join(", ")}`,
  );
}

/** Press a key that leads to a new page (a link or a form's button) and wait for that page. */
export async function pressAndWaitFor(page: Page, key: string, url: string | RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), page.keyboard.press(key)]);
}

/**
 * Choose one answer in a radio group by keyboard only: Tab into the group (one Tab stop per
 * group), then Space to pick the focused radio, or the arrow keys, which move and select.
 */
export async function chooseRadio(page: Page, name: string, value: string): Promise<void> {
  const entered = await tabTo(page, (el) => el.type === "radio" && el.name === name, `the "${name}" radios`);
  const values = await page.evaluate(
    (n) => [...document.getElementsByName(n)].map((el) => (el as HTMLInputElement).value),
    name,
  );
  const target = values.indexOf(value);
  if (target < 0) throw new Error(`No "${value}" among the "${name}" radios (${values.join(", ")})`);
  const steps = (target - values.indexOf(entered.value) + values.length) % values.length;
  if (steps === 0) {
    if (!entered.checked) await page.keyboard.press("Space");
  } else for (let i = 0; i < steps; i++) await page.keyboard.press("ArrowDown");
  const now = await focused(page);
  if (!now?.checked || now.value !== value || now.name !== name)
    throw new Error(`Keyboard did not select "${value}" in "${name}": focus is on ${JSON.stringify(now)}`);
}

/** Tick a checkbox by keyboard: Tab to it, Space. */
export async function tickCheckbox(page: Page, name: string, value: string): Promise<void> {
  const box = await tabTo(
    page,
    (el) => el.type === "checkbox" && el.name === name && el.value === value,
    `the "${value}" checkbox`,
  );
  if (!box.checked) await page.keyboard.press("Space");
  if (!(await focused(page))?.checked) throw new Error(`Space did not tick "${value}"`);
}

/** Type into a text field or textarea: Tab to it, type; a line break is typed as Enter. */
export async function typeInto(page: Page, name: string, text: string): Promise<void> {
  await tabTo(
    page,
    (el) => el.name === name && (el.tag === "textarea" || el.tag === "input"),
    `the "${name}" field`,
  );
  await page.keyboard.type(text.replace(/\r\n/g, "\n"));
}

type Fields = Record<string, string | string[]>;

/**
 * Give a page's answers with the keyboard alone, in the order the fields appear on the page (so
 * Tab only ever moves forward): radios by arrow keys, checkboxes by Space, text by typing.
 */
export async function answerByKeyboard(page: Page, fields: Fields): Promise<void> {
  const fieldsOnPage = await page.evaluate(() => {
    const out: { name: string; kind: string }[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      "main input[name], main textarea[name]",
    ))
      if (el.type !== "hidden" && !out.some((f) => f.name === el.name))
        out.push({ name: el.name, kind: el.type });
    return out;
  });
  for (const name of Object.keys(fields))
    if (!fieldsOnPage.some((f) => f.name === name)) throw new Error(`No field "${name}" on ${page.url()}`);
  for (const { name, kind } of fieldsOnPage) {
    const value = fields[name];
    if (value === undefined || value === "") continue;
    if (kind === "radio") await chooseRadio(page, name, String(value));
    else if (kind === "checkbox")
      for (const v of Array.isArray(value) ? value : [value]) await tickCheckbox(page, name, v);
    else await typeInto(page, name, String(value));
  }
}
