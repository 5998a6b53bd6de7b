// The head's pipeline review: the month's payment plan by day and the weighted pipeline by manager and stage.
(function () {
  "use strict";

  // Print views: a button that opens the browser's print dialog.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var source = document.getElementById("review-charts");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var rub = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 0 });
  function money(value) { return rub.format(value) + "\u00a0₽"; }
  var charts = [];

  var paymentsEl = document.getElementById("chart-payments");
  if (paymentsEl) {
    var payments = window.echarts.init(paymentsEl);
    var todayIndex = data.payments.days.indexOf(data.payments.today);
    payments.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: money },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.payments.days, axisLabel: { interval: 1 } },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return rub.format(v); } } },
      series: [{
        name: data.payments.title,
        type: "bar",
        data: data.payments.amounts.map(function (value, index) {
          return index === todayIndex ? { value: value, itemStyle: { color: "#d63939" } } : value;
        }),
        itemStyle: { color: "#066fd1" }
      }]
    });
    charts.push(payments);
  }

  var weightedEl = document.getElementById("chart-weighted");
  if (weightedEl) {
    var weighted = window.echarts.init(weightedEl);
    weighted.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: money },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return rub.format(v); } } },
      yAxis: { type: "category", data: data.weighted.managers, inverse: true },
      series: data.weighted.stages.map(function (stage, index) {
        return { name: stage, type: "bar", stack: "weighted", data: data.weighted.series[index] };
      })
    });
    charts.push(weighted);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
