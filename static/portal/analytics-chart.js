// The analytics chart (visits.analytics): reads its data from the json_script tag #analytics-chart-data and
// draws bars of clients (left axis) and lines of roubles (right axis) with the vendored Chart.js.
(function () {
  "use strict";
  var canvas = document.getElementById("analytics-chart");
  var source = document.getElementById("analytics-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "ru";
  var dateFormat = new Intl.DateTimeFormat(lang, data.monthly ? { month: "short", year: "numeric" } : { day: "numeric", month: "short" });
  var numberFormat = new Intl.NumberFormat(lang);
  var colours = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1"];
  var labels = data.labels.map(function (iso) {
    var parts = iso.split("-");
    return dateFormat.format(new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2])));
  });
  var datasets = data.datasets.map(function (d, i) {
    var line = d.kind === "line";
    return {
      type: line ? "line" : "bar",
      label: d.label,
      data: d.data,
      yAxisID: line ? "money" : "clients",
      backgroundColor: colours[i % colours.length] + (line ? "" : "99"),
      borderColor: colours[i % colours.length],
      borderWidth: line ? 2 : 0,
      pointRadius: line ? 0 : undefined,
      tension: 0.2,
      order: line ? 0 : 1,
    };
  });
  new Chart(canvas, {
    data: { labels: labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var suffix = ctx.dataset.yAxisID === "money" ? " " + data.money_label : "";
              return ctx.dataset.label + ": " + numberFormat.format(ctx.parsed.y) + suffix;
            },
          },
        },
      },
      scales: {
        clients: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: data.clients_label }, ticks: { precision: 0 } },
        money: { type: "linear", position: "right", beginAtZero: true, title: { display: true, text: data.money_label }, grid: { drawOnChartArea: false } },
      },
    },
  });
})();
