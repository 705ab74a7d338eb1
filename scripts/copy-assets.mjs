#!/usr/bin/env node
// Builds the browser assets into public/vendor/ (git-ignored):
//
//   public/scss/app.scss                        -> public/vendor/app.css (compressed)
//   govuk-frontend dist/govuk/govuk-frontend.min.js -> public/vendor/govuk/govuk-frontend.min.js
//   govuk-frontend dist/govuk/assets/ (images, manifest) -> public/vendor/govuk/assets/
//   chart.js dist/chart.umd.min.js (or chart.umd.js) -> public/vendor/chart.umd.min.js
//
// The GOV.UK brand is not ours to use: GDS Transport font files are not
// copied, nor are images showing the crown. Run by `npm run build`.

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const started = performance.now();
const root = fileURLToPath(new URL("..", import.meta.url));
const nodeModules = join(root, "node_modules");
const vendor = join(root, "public", "vendor");
const govukDist = join(nodeModules, "govuk-frontend", "dist", "govuk");

/**
 * GOV.UK brand images that must not be published. In govuk-frontend 6 every
 * image except the footer crest shows the crown (favicons, app icons, Open
 * Graph image); the crest is the Royal Coat of Arms, likewise GOV.UK-only.
 */
const EXCLUDED_IMAGES = new Set([
  "favicon.ico",
  "favicon.svg",
  "govuk-icon-180.png",
  "govuk-icon-192.png",
  "govuk-icon-512.png",
  "govuk-icon-mask.svg",
  "govuk-opengraph-image.png",
  "govuk-crest.svg",
]);

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

// 1. Stylesheet
const scssEntry = join(root, "public", "scss", "app.scss");
const { css } = sass.compile(scssEntry, {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  loadPaths: [nodeModules],
  quietDeps: true,
});
if (css.includes("GDS Transport")) {
  throw new Error(`${relative(root, scssEntry)}: compiled CSS still refers to the GDS Transport font`);
}
mkdirSync(vendor, { recursive: true });
writeFileSync(join(vendor, "app.css"), css);

// 2. govuk-frontend JavaScript
copy(join(govukDist, "govuk-frontend.min.js"), join(vendor, "govuk", "govuk-frontend.min.js"));

// 3. govuk-frontend images and manifest (no fonts, no crown)
const assetsOut = join(vendor, "govuk", "assets");
rmSync(assetsOut, { recursive: true, force: true });
const imagesIn = join(govukDist, "assets", "images");
const images = readdirSync(imagesIn).filter((name) => !EXCLUDED_IMAGES.has(name));
mkdirSync(assetsOut, { recursive: true });
for (const name of images) copy(join(imagesIn, name), join(assetsOut, "images", name));
// The manifest lists the crown icons; keep only entries whose file was copied.
const manifest = JSON.parse(readFileSync(join(govukDist, "assets", "manifest.json"), "utf8"));
manifest.icons = (manifest.icons ?? []).filter((icon) => images.includes(icon.src.replace(/^images\//, "")));
writeFileSync(join(assetsOut, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

// 4. Chart.js UMD bundle
const chartDist = join(nodeModules, "chart.js", "dist");
const chartFile = ["chart.umd.min.js", "chart.umd.js"].map((name) => join(chartDist, name)).find(existsSync);
if (!chartFile) throw new Error(`No chart.umd.min.js or chart.umd.js in ${relative(root, chartDist)}`);
copy(chartFile, join(vendor, "chart.umd.min.js"));

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `copy-assets: app.css ${(css.length / 1024).toFixed(0)} KiB, govuk-frontend.min.js, ` +
    `${images.length} image(s) + manifest, ${relative(chartDist, chartFile)} -> public/vendor/ in ${seconds}s`,
);
