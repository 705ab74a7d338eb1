// Draws the charts the server specified. Every number comes from the server: this script computes
// no percentage, it only maps the series to Chart.js datasets. Without JavaScript the figures stay
// hidden (an empty box says nothing) and the table beneath each one carries the same figures.
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
  figure.hidden = false;
  // Labels wrap to what half the chart's width holds (about 7.5 px a character), so that on a phone
  // the category axis is not cut off at the left; at most 40 characters a line on wider screens.
  const wrapAt = Math.max(12, Math.min(40, Math.floor(figure.clientWidth / 15)));
  const horizontal = spec.kind !== "timeline";
  const stacked = spec.kind === "diverging" || spec.kind === "timeline";
  const percent = spec.unit === "percent";
  const fmt = (v) => (percent ? `${Math.abs(Math.round(v))}%` : `${v}`);
  const lines = spec.labels.reduce((n, l) => n + Math.max(1, wrap(l, wrapAt).length), 0);
  if (horizontal)
    canvas.parentElement.style.height = `${Math.min(1200, 70 + lines * 18 + spec.labels.length * 16)}px`;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: horizontal ? spec.labels.map((l) => wrap(l, wrapAt)) : spec.labels,
      datasets: spec.series.map((s, index) => ({
        label: s.label,
        data: s.values,
        backgroundColor: COLOURS[s.tone] ?? COLOURS.neutral,
        legendHidden: Boolean(s.legendHidden),
        legendOrder: s.legendOrder ?? index,
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
        // Datasets are in stacking order (outward from zero); the legend lists them in the scale's order.
        legend: {
          labels: {
            filter: (item, data) => !data.datasets[item.datasetIndex].legendHidden,
            sort: (a, b, data) =>
              data.datasets[a.datasetIndex].legendOrder - data.datasets[b.datasetIndex].legendOrder,
          },
        },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label}: ${fmt(ctx.parsed[horizontal ? "x" : "y"])}` },
        },
      },
    },
  });
}

for (const figure of document.querySelectorAll("[data-chart]")) draw(figure);
