/* The console's own script: filters that apply on change, and the charts (ECharts, vendored).
   Chart data comes from the page itself (<script type="application/json" id="chart-data">),
   so nothing is fetched from anywhere but this platform. */
(function () {
  "use strict";

  const BLUE = "#1f5fbf";
  const palette = [BLUE, "#2f9e6b", "#e39b1b", "#c7423b", "#7a5cc2"];

  function autoSubmitFilters() {
    document.querySelectorAll("form.filters select, form.filters input[type=checkbox]")
      .forEach(function (field) {
        field.addEventListener("change", function () { field.form.requestSubmit(); });
      });
  }

  function servicesChart(el, data) {
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { data: ["办件", "服务人次", "打印"], top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.hours },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "办件", type: "bar", data: data.services, barMaxWidth: 18 },
        { name: "服务人次", type: "line", data: data.sessions },
        { name: "打印", type: "line", data: data.prints },
      ],
    };
  }

  function ratingsChart(el, data) {
    return {
      color: ["#2f9e6b"],
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 20, bottom: 28 },
      xAxis: { type: "category", data: data.hours },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: "评价数", type: "bar", data: data.ratings, barMaxWidth: 18 }],
    };
  }

  function uptimeChart(el, data) {
    const rows = data.uptime.slice().reverse();
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 96, right: 40, top: 10, bottom: 24 },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [{
        name: "可用率", type: "bar", barMaxWidth: 16,
        label: { show: true, position: "right", formatter: "{c}%" },
        data: rows.map(function (r) {
          const colour = r.percent >= 99 ? "#2f9e6b" : r.percent >= 90 ? "#e39b1b" : "#c7423b";
          return { value: r.percent, itemStyle: { color: colour } };
        }),
      }],
    };
  }

  const builders = { services: servicesChart, ratings: ratingsChart, uptime: uptimeChart };

  function drawCharts() {
    const source = document.getElementById("chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    const data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      const build = builders[el.dataset.chart];
      if (!build) { return; }
      if (el.dataset.chart === "uptime" && data.uptime.length === 0) {
        el.textContent = "尚无设备上报。";
        el.classList.add("empty");
        return;
      }
      const chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(el, data));
      el.dataset.drawn = "true";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    autoSubmitFilters();
    drawCharts();
  });
})();
