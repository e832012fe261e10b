// The Figures page's charts: reads the JSON the server put in #figures-data and draws each
// <div class="chart" data-chart="…"> with uPlot (global from uPlot.iife.min.js). Plain ES2020, no modules,
// no build step. The tables on the page carry every number; without this script they are the page.
// No innerHTML anywhere: uPlot writes its legend and title with textContent, and our labels are fixed strings.
(function () {
  'use strict';

  var HEIGHT = 220;
  var COLORS = { leads: '#1264a3', routed: '#2eb67d', rejected: '#e01e5a', review: '#ecb22e', held: '#7c7c7c', median: '#1264a3', p90: '#e8912d', cost: '#611f69' };

  function readData() {
    var el = document.getElementById('figures-data');
    if (!el) return null;
    try {
      return JSON.parse(el.textContent || 'null');
    } catch (e) {
      return null;
    }
  }

  function dayToUnix(day) {
    return Date.parse(day + 'T00:00:00Z') / 1000;
  }

  function fmtMinutes(v) {
    if (v === null || v === undefined) return '—';
    if (Math.abs(v) < 1) return Math.round(v * 60) + ' s';
    if (Math.abs(v) < 60) return (Math.round(v * 10) / 10) + ' min';
    if (Math.abs(v) < 1440) return (Math.round(v / 6) / 10) + ' h';
    return (Math.round(v / 144) / 10) + ' d';
  }

  function fmtUsd(v) {
    if (v === null || v === undefined) return '—';
    return '$' + v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2);
  }

  function fmtCount(v) {
    return v === null || v === undefined ? '—' : String(v);
  }

  function widthOf(el) {
    return Math.max(280, Math.floor(el.clientWidth || (el.parentNode && el.parentNode.clientWidth) || 600));
  }

  function bars() {
    return uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined;
  }

  function lineSeries(label, color, fmt) {
    return { label: label, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 5 }, value: function (u, v) { return fmt(v); } };
  }

  function barSeries(label, color, fmt) {
    return { label: label, stroke: color, fill: color + '99', width: 1, paths: bars(), points: { show: false }, value: function (u, v) { return fmt(v); } };
  }

  function yAxis(fmt) {
    return { values: function (u, vals) { return vals.map(fmt); }, size: 76 };
  }

  // Every chart shares the x axis: one point per UTC day, shown in UTC whatever the browser's time zone, with half a
  // day of room either side so the first and last bars are whole.
  function options(el, series, fmt) {
    return {
      width: widthOf(el),
      height: HEIGHT,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      scales: { x: { time: true, range: function (u, min, max) { return [min - 43200, max + 43200]; } }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      series: [{ label: 'Day', value: '{YYYY}-{MM}-{DD}' }].concat(series),
      axes: [{}, yAxis(fmt)],
      cursor: { drag: { x: false, y: false } },
    };
  }

  function pick(days, get) {
    return days.map(function (d) {
      var v = get(d);
      return v === undefined ? null : v;
    });
  }

  function definitions(data) {
    var days = data.per_day || [];
    var xs = days.map(function (d) { return dayToUnix(d.day); });
    return {
      leads: {
        series: [barSeries('Leads', COLORS.leads, fmtCount)],
        data: [xs, pick(days, function (d) { return d.leads; })],
        fmt: fmtCount,
      },
      outcomes: {
        series: [
          lineSeries('Routed', COLORS.routed, fmtCount),
          lineSeries('Rejected', COLORS.rejected, fmtCount),
          lineSeries('Review', COLORS.review, fmtCount),
          lineSeries('Paused', COLORS.held, fmtCount),
        ],
        data: [
          xs,
          pick(days, function (d) { return d.auto_routed; }),
          pick(days, function (d) { return d.auto_rejected; }),
          pick(days, function (d) { return d.review; }),
          pick(days, function (d) { return d.held; }),
        ],
        fmt: fmtCount,
      },
      'speed-card': {
        series: [lineSeries('Median', COLORS.median, fmtMinutes), lineSeries('90th pct', COLORS.p90, fmtMinutes)],
        data: [xs, pick(days, function (d) { return d.to_card.median_minutes; }), pick(days, function (d) { return d.to_card.p90_minutes; })],
        fmt: fmtMinutes,
      },
      'speed-touch': {
        series: [lineSeries('Median', COLORS.median, fmtMinutes), lineSeries('90th pct', COLORS.p90, fmtMinutes)],
        data: [xs, pick(days, function (d) { return d.to_first_touch.median_minutes; }), pick(days, function (d) { return d.to_first_touch.p90_minutes; })],
        fmt: fmtMinutes,
      },
      cost: {
        series: [barSeries('Cost', COLORS.cost, fmtUsd)],
        data: [xs, pick(days, function (d) { return d.cost_usd; })],
        fmt: fmtUsd,
      },
    };
  }

  function draw() {
    if (typeof uPlot === 'undefined') return;
    var data = readData();
    if (!data || !Array.isArray(data.per_day)) return;
    var defs = definitions(data);
    var plots = [];
    var todo = [];
    var containers = document.querySelectorAll('.chart[data-chart]');
    // Show every frame first (the stylesheet hides chart frames nothing drew in), then measure: a frame measured
    // while its neighbours were still hidden would take the whole row.
    for (var i = 0; i < containers.length; i++) {
      var el = containers[i];
      var def = Object.prototype.hasOwnProperty.call(defs, el.dataset.chart) ? defs[el.dataset.chart] : null;
      if (!def) continue;
      el.textContent = '';
      el.classList.add('chart-on');
      todo.push({ el: el, def: def });
    }
    todo.forEach(function (t) {
      plots.push({ el: t.el, plot: new uPlot(options(t.el, t.def.series, t.def.fmt), t.def.data, t.el) });
    });
    var pending = false;
    window.addEventListener('resize', function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        plots.forEach(function (p) { p.plot.setSize({ width: widthOf(p.el), height: HEIGHT }); });
      });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
