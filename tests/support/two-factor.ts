import { generateSync } from "otplib";
import type { TestApp } from "./app.js";

/** The code an authenticator app would show at the test app's clock, `steps` 30-second steps away. */
export const codeAt = (secret: string, at: Date, steps = 0) =>
  generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) + steps * 30 });

/** The key written as the set-up page shows it ("ABCD EFGH ..."), back to the key. */
export const secretFromPage = (html: string) => {
  const match = /<code class="app-two-factor-key" id="secret">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match?.[1]) throw new Error("No two-factor key on the page");
  return match[1].replace(/ /g, "");
};

/**
 * Turn two-factor sign-in on for an officer through the service, as the set-up page does, then
 * move the clock on one step so that the next code is not the one just used.
 */
export function turnOnTwoFactor(t: TestApp, officer: { id: number; email: string }) {
  const setUp = t.services.twoFactor.setUpSecret(officer);
  if (!setUp) throw new Error("Two-factor sign-in is already on");
  const codes = t.services.twoFactor.confirm(officer, codeAt(setUp.secret, t.clock.now));
  if (!codes) throw new Error("The set-up code was refused");
  t.clock.now = new Date(t.clock.now.getTime() + 30_000);
  return { secret: setUp.secret, recoveryCodes: codes };
}
