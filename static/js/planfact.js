// Plan/fact: cumulative paid sales against the plan line, the forecast dashed; print buttons of Tools 1 and 2.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var source = document.getElementById("plan-fact-chart");
  var el = document.getElementById("chart-plan-fact");
  if (!source || !el || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var rub = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 0 });
  function money(value) { return value === null || value === undefined ? "—" : rub.format(value) + "\u00a0₽"; }
  var chart = window.echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", valueFormatter: money },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return rub.format(v); } } },
    series: [
      { name: data.labels.fact, type: "line", data: data.fact, itemStyle: { color: "#2fb344" }, areaStyle: { opacity: 0.1 } },
      { name: data.labels.plan, type: "line", data: data.plan, itemStyle: { color: "#066fd1" }, symbol: "none" },
      { name: data.labels.forecast, type: "line", data: data.forecast, itemStyle: { color: "#f76707" },
        lineStyle: { type: "dashed" }, symbol: "none" }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
