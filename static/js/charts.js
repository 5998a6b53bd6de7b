// Draws every chart on the page from the ECharts option the server built (core/charts.py):
// <div data-chart="ID"> with {{ option|json_script:"ID" }}; `money: true` formats values as roubles.
(function () {
  "use strict";

  if (!window.echarts) { return; }
  var rub = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 0 });
  function money(value) { return value === null || value === undefined ? "—" : rub.format(value) + "\u00a0₽"; }
  function amount(value) { return rub.format(value); }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var option = JSON.parse(source.textContent);
    if (option.money) {
      option.tooltip = Object.assign({}, option.tooltip, { valueFormatter: money });
      [option.xAxis, option.yAxis].forEach(function (axis) {
        if (axis && axis.type === "value") { axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: amount }); }
      });
    }
    delete option.money;
    // Labels the server computed (core/charts.py funnel_option): JSON cannot carry a formatter function.
    (option.series || []).forEach(function (series) {
      if (series.labels) {
        var texts = series.labels;
        series.label = Object.assign({}, series.label, { formatter: function (p) { return texts[p.dataIndex]; } });
        delete series.labels;
      }
    });
    var links = option.links;
    delete option.links;
    var chart = window.echarts.init(el);
    chart.setOption(option);
    if (links) {
      el.style.cursor = "pointer";
      chart.on("click", function (p) { if (links[p.dataIndex]) { window.location.href = links[p.dataIndex]; } });
    }
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
