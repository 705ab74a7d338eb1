import { csrfFrom } from "./app.js";
import type { Agent } from "./officer.js";

/** Post a builder form the way a browser would: open the page for its token, then send. */
export async function postForm(
  agent: Agent,
  page: string,
  action: string,
  fields: Record<string, string | string[]>,
) {
  const form = await agent.get(page);
  return agent
    .post(action)
    .type("form")
    .send({ _csrf: csrfFrom(form.text), ...fields });
}
