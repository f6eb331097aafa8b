/* Attention over time: an SVG line chart of one or several queries, built with DOM calls (no HTML strings),
 * with hover numbers, a table of the same numbers, and downloads (CSV of the data, the chart as SVG or PNG).
 * series = [{label, undated, periods: [{period, matches, total}]}]; measure = "count" | "share". */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = ["#3366aa", "#cc5500", "#229955", "#aa3377", "#777700", "#0099aa"];
  var W = 760, H = 240, LEFT = 48, RIGHT = 12, TOP = 12, BOTTOM = 34;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function value(p, measure) { return measure === "share" ? (p.total ? p.matches / p.total : 0) : p.matches; }
  function shown(v, measure) { return measure === "share" ? (100 * v).toFixed(1) + "%" : String(v); }

  function niceMax(max, measure) {
    if (max <= 0) { return measure === "share" ? 0.01 : 1; }
    var power = Math.pow(10, Math.floor(Math.log10(max))), steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * power >= max) { return steps[i] * power; } }
    return 10 * power;
  }

  function draw(container, series, measure, t) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    var periods = series.length ? series[0].periods.map(function (p) { return p.period; }) : [];
    var svg = el("svg", { xmlns: SVG, width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
      "font-family": "sans-serif", "font-size": 11, "aria-label": t("chart.title") });
    svg.appendChild(el("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }));
    var max = 0;
    series.forEach(function (s) { s.periods.forEach(function (p) { max = Math.max(max, value(p, measure)); }); });
    max = niceMax(max, measure);
    var plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
    var x = function (i) { return LEFT + (periods.length < 2 ? plotW / 2 : i * plotW / (periods.length - 1)); };
    var y = function (v) { return TOP + plotH - plotH * v / max; };
    [0, 0.5, 1].forEach(function (f) {
      svg.appendChild(el("line", { x1: LEFT, x2: W - RIGHT, y1: y(f * max), y2: y(f * max), stroke: f ? "#e4e4e4" : "#999" }));
      svg.appendChild(el("text", { x: LEFT - 4, y: y(f * max) + 4, "text-anchor": "end", "class": "y-tick" }, shown(f * max, measure)));
    });
    var every = Math.max(1, Math.ceil(periods.length / 8));
    periods.forEach(function (period, i) {
      if (i % every === 0 || i === periods.length - 1 && periods.length <= 8) {
        svg.appendChild(el("text", { x: x(i), y: H - BOTTOM + 16, "text-anchor": "middle", "class": "x-tick" }, period));
      }
    });
    svg.appendChild(el("text", { x: LEFT + plotW / 2, y: H - 4, "text-anchor": "middle", fill: "#555" },
      t("chart.period")));
    svg.appendChild(el("text", { x: 10, y: TOP + plotH / 2, "text-anchor": "middle", fill: "#555",
      transform: "rotate(-90 10 " + (TOP + plotH / 2) + ")" }, measure === "share" ? t("chart.share") : t("chart.matches")));
    series.forEach(function (s, index) {
      var colour = COLOURS[index % COLOURS.length];
      var points = s.periods.map(function (p, i) { return x(i).toFixed(1) + "," + y(value(p, measure)).toFixed(1); });
      svg.appendChild(el("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2 }));
      if (s.periods.length <= 120) {
        s.periods.forEach(function (p, i) {
          var dot = el("circle", { cx: x(i), cy: y(value(p, measure)), r: 2.5, fill: colour, "class": "point" });
          dot.appendChild(el("title", {}, p.period + " · " + (s.label || "*") + ": " + p.matches + " / " + p.total));
          svg.appendChild(dot);
        });
      }
    });
    if (series.length > 1) {
      series.forEach(function (s, index) {
        var lx = LEFT + 8 + index * 150;
        svg.appendChild(el("rect", { x: lx, y: 2, width: 10, height: 10, fill: COLOURS[index % COLOURS.length] }));
        svg.appendChild(el("text", { x: lx + 14, y: 11 }, (s.label || "*").slice(0, 22)));
      });
    }
    var guide = el("line", { y1: TOP, y2: TOP + plotH, stroke: "#888", "stroke-dasharray": "3,3", visibility: "hidden" });
    svg.appendChild(guide);
    var overlay = el("rect", { x: LEFT, y: TOP, width: plotW, height: plotH, fill: "transparent", "class": "hover-area" });
    svg.appendChild(overlay);
    container.appendChild(svg);
    return { svg: svg, guide: guide, overlay: overlay, x: x, periods: periods };
  }

  function hover(drawn, series, measure, tooltip, t) {
    function at(event) {
      var box = drawn.svg.getBoundingClientRect(), scale = W / box.width;
      var px = (event.clientX - box.left) * scale, best = 0;
      drawn.periods.forEach(function (p, i) { if (Math.abs(drawn.x(i) - px) < Math.abs(drawn.x(best) - px)) { best = i; } });
      return best;
    }
    function show(i, event) {
      if (!drawn.periods.length) { return; }
      drawn.guide.setAttribute("x1", drawn.x(i));
      drawn.guide.setAttribute("x2", drawn.x(i));
      drawn.guide.setAttribute("visibility", "visible");
      while (tooltip.firstChild) { tooltip.removeChild(tooltip.firstChild); }
      var head = document.createElement("strong");
      head.textContent = drawn.periods[i];
      tooltip.appendChild(head);
      series.forEach(function (s) {
        var p = s.periods[i], line = document.createElement("div");
        line.className = "tip-line";
        line.textContent = (s.label || "*") + ": " + p.matches + " " + t("chart.matches") + " / " + p.total + " " +
          t("chart.total") + " (" + (p.total ? (100 * p.matches / p.total).toFixed(1) : "0.0") + "%)";
        tooltip.appendChild(line);
      });
      tooltip.hidden = false;
      var parent = tooltip.parentNode.getBoundingClientRect();
      tooltip.style.left = Math.min(event.clientX - parent.left + 12, parent.width - 220) + "px";
      tooltip.style.top = (event.clientY - parent.top + 12) + "px";
    }
    drawn.overlay.addEventListener("mousemove", function (event) { show(at(event), event); });
    drawn.overlay.addEventListener("mouseleave", function () {
      tooltip.hidden = true;
      drawn.guide.setAttribute("visibility", "hidden");
    });
  }

  function table(node, series, t) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    var head = document.createElement("tr");
    var cells = [t("chart.period")];
    series.forEach(function (s) {
      var label = series.length > 1 ? (s.label || "*") + " · " : "";
      cells.push(label + t("chart.matches"), label + t("chart.total"), label + t("chart.share"));
    });
    cells.forEach(function (text) { var th = document.createElement("th"); th.textContent = text; head.appendChild(th); });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    node.appendChild(thead);
    var body = document.createElement("tbody");
    (series.length ? series[0].periods : []).forEach(function (p, i) {
      var row = document.createElement("tr");
      row.setAttribute("data-period", p.period);
      var values = [p.period];
      series.forEach(function (s) {
        var q = s.periods[i];
        values.push(q.matches, q.total, q.total ? (q.matches / q.total).toFixed(4) : "0.0000");
      });
      values.forEach(function (v) { var td = document.createElement("td"); td.textContent = String(v); row.appendChild(td); });
      body.appendChild(row);
    });
    node.appendChild(body);
  }

  function csv(series) {
    var quote = function (v) { v = String(v); return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var lines = ["period,query,matches,total,share"];
    series.forEach(function (s) {
      s.periods.forEach(function (p) {
        lines.push([p.period, s.label, p.matches, p.total, p.total ? (p.matches / p.total).toFixed(4) : "0.0000"].map(quote).join(","));
      });
    });
    return lines.join("\r\n") + "\r\n";
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function svgText(svg) { return new XMLSerializer().serializeToString(svg); }

  function png(svg, name) {
    var image = new Image(), text = svgText(svg);
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = W * 2;
      canvas.height = H * 2;
      var context = canvas.getContext("2d");
      context.scale(2, 2);
      context.drawImage(image, 0, 0, W, H);
      canvas.toBlob(function (blob) { save(blob, name); }, "image/png");
    };
    image.src = "data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(text)));
  }

  window.INO_CHART = {
    render: function (container, tooltip, dataTable, series, measure, t) {
      var drawn = draw(container, series, measure, t);
      hover(drawn, series, measure, tooltip, t);
      table(dataTable, series, t);
      return drawn.svg;
    },
    csv: csv,
    downloadCSV: function (series) { save(new Blob([csv(series)], { type: "text/csv" }), "attention.csv"); },
    downloadSVG: function (svg) { save(new Blob([svgText(svg)], { type: "image/svg+xml" }), "attention.svg"); },
    downloadPNG: function (svg) { png(svg, "attention.png"); }
  };
}());
