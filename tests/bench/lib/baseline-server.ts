/**
 * The baseline for the answer-posting benchmark: a minimal Express 5 app that parses the same
 * form body as Sounding does and answers 303, run as its own process (see servers.ts).
 * Listens on PORT and HOST (loopback) from the environment.
 */
import express from "express";

const port = Number(process.env.PORT ?? "0");
const host = process.env.HOST ?? "127.0.0.1";

const app = express();
app.disable("x-powered-by");
app.use(express.urlencoded({ extended: false, limit: "100kb", parameterLimit: 300 }));
app.post("/consultations/:slug/respond/:pageId", (req, res) => {
  res.redirect(303, `/consultations/${req.params.slug}/respond/next`);
});

const server = app.listen(port, host, () => console.log(`baseline listening on http://${host}:${port}`));
const close = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on("SIGTERM", close);
process.on("SIGINT", close);
