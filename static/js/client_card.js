// The client card: sales by month as a bar chart; print views: the print button.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var source = document.getElementById("client-sales-data");
  var el = document.getElementById("client-sales-chart");
  if (!source || !el || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var rub = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 0 });
  var chart = window.echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) { return rub.format(value) + "\u00a0₽"; }
    },
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months, axisLabel: { interval: 2 } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: function (v) { return rub.format(v); } } },
    series: [{ name: data.title, type: "bar", data: data.amounts, itemStyle: { color: "#066fd1" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
