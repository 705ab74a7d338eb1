// Draws the charts the server specified. Every number comes from the server: this script computes
// no percentage, it only maps the series to Chart.js datasets. Without JavaScript the table beneath
// each chart carries the same figures.
const COLOURS = {
  "neg-2": "#942514",
  "neg-1": "#d4351c",
  neutral: "#b1b4b6",
  "pos-1": "#5694ca",
  "pos-2": "#1d70b8",
};

/** Long category labels wrap onto lines of about 40 characters, so none is cut off. */
function wrap(label, width = 40) {
  const lines = [];
  let line = "";
  for (const word of String(label).split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function draw(figure) {
  const spec = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
  const canvas = figure.querySelector("canvas");
  const horizontal = spec.kind !== "timeline";
  const stacked = spec.kind === "diverging" || spec.kind === "timeline";
  const percent = spec.unit === "percent";
  const fmt = (v) => (percent ? `${Math.abs(Math.round(v))}%` : `${v}`);
  const lines = spec.labels.reduce((n, l) => n + Math.max(1, wrap(l).length), 0);
  if (horizontal)
    canvas.parentElement.style.height = `${Math.min(1200, 70 + lines * 18 + spec.labels.length * 16)}px`;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: horizontal ? spec.labels.map((l) => wrap(l)) : spec.labels,
      datasets: spec.series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: COLOURS[s.tone] ?? COLOURS.neutral,
        legendHidden: Boolean(s.legendHidden),
        stack: stacked ? "all" : undefined,
      })),
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      maintainAspectRatio: false,
      animation: false,
      // Only the value axis gets a tick formatter: the category axis keeps its labels.
      scales: horizontal
        ? {
            x: {
              type: "linear",
              stacked,
              min: spec.kind === "diverging" ? -100 : 0,
              max: 100,
              ticks: { callback: (v) => fmt(v) },
            },
            y: { type: "category", stacked },
          }
        : {
            x: { type: "category", stacked },
            y: { type: "linear", stacked, ticks: { callback: (v) => fmt(v), precision: 0 } },
          },
      plugins: {
        legend: { labels: { filter: (item, data) => !data.datasets[item.datasetIndex].legendHidden } },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: ${fmt(ctx.parsed[horizontal ? "x" : "y"])}` },
        },
      },
    },
  });
}

for (const figure of document.querySelectorAll("[data-chart]")) draw(figure);
