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

function draw(figure) {
  const spec = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
  const canvas = figure.querySelector("canvas");
  const horizontal = spec.kind !== "timeline";
  const stacked = spec.kind === "diverging" || spec.kind === "timeline";
  const percent = spec.unit === "percent";
  const fmt = (v) => (percent ? `${Math.abs(Math.round(v))}%` : `${v}`);
  const lines = Math.max(1, spec.labels.length);
  if (horizontal)
    canvas.parentElement.style.height = `${Math.min(900, 60 + lines * (spec.series.length > 2 ? 34 : 44))}px`;
  // eslint-disable-next-line no-undef
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: spec.labels,
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
      scales: {
        x: {
          stacked,
          ticks: { callback: horizontal ? (v) => fmt(v) : undefined },
          min: spec.kind === "diverging" ? -100 : undefined,
          max: spec.kind === "diverging" || percent ? 100 : undefined,
        },
        y: { stacked, ticks: { callback: horizontal ? undefined : (v) => fmt(v) } },
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
