import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { buildTestApp } from "../support/app.js";
import { multiplyResponses } from "../support/many-responses.js";

const CLOSED = "commissioning-procurement-2015";

/** A reader as fast as a local socket: write() always returns true, so it never pushes back. */
function fastSink() {
  let bytes = 0;
  const sink = new Writable({
    highWaterMark: 1 << 30,
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => bytes };
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listening(t: ReturnType<typeof buildTestApp>) {
  const server = createServer(t.app);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// The officer route writes to the response socket: on loopback its write() returns true until the
// kernel's buffers fill, the same situation as this reader.
describe("a full export of every response leaves the server responsive", () => {
  it("serves the hub while 10,000 responses are written to a reader that never pushes back", async () => {
    const t = buildTestApp();
    const n = multiplyResponses(t.db, CLOSED, 10_000);
    const { url } = await listening(t);

    const row = t.services.consultations.find(CLOSED);
    if (!row) throw new Error("no demo consultation");
    const { sink, bytes } = fastSink();
    const order: string[] = [];
    const exported = t.services.transfer.exportCsv(row, sink).then((written) => {
      order.push("export finished");
      return written;
    });
    const hub = fetch(`${url}/`).then(async (res) => {
      await res.text();
      order.push(`hub answered ${res.status}`);
    });
    await Promise.all([exported, hub]);

    expect(await exported).toBe(n);
    expect(bytes()).toBeGreaterThan(n * 20);
    expect(order).toEqual(["hub answered 200", "export finished"]);
  }, 60_000);
});
