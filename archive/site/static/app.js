/* The query page: the URL holds the whole view (q, vs, source, lang, since, until, person, org, sort, by,
 * measure, page), so a view can be bookmarked and shared; the form, the chips of active filters, the facets
 * and the pager change the URL and the page answers it (INO_INDEX.engine).  Everything from the archive is
 * put into the page with textContent, never as HTML. */
(function () {
  "use strict";
  var engine = window.INO_INDEX && window.INO_INDEX.engine;
  var i18n = window.INO_I18N;
  var chart = window.INO_CHART;
  var FIELDS = ["q", "source", "lang", "since", "until", "person", "org", "sort"];
  var VIEW = ["by", "measure", "page"];
  var $ = function (id) { return document.getElementById(id); };
  var status = $("status");
  if (!engine || !i18n || !chart || !status) { return; }
  var t = i18n.t, lastAnswer = null, lastSvg = null, lastParams = null, mode = "static", running = 0;

  function readURL() {
    var search = new URLSearchParams(window.location.search), params = {};
    FIELDS.concat(VIEW).forEach(function (name) { var v = search.get(name); if (v) { params[name] = v; } });
    params.vs = search.getAll("vs").filter(function (v) { return v.trim(); });
    params.page = params.page ? Math.max(1, parseInt(params.page, 10) || 1) : 1;
    params.by = ["week", "month", "year"].indexOf(params.by) >= 0 ? params.by : "month";
    params.measure = params.measure === "share" ? "share" : "count";
    return params;
  }

  function toURL(params) {
    var search = new URLSearchParams();
    FIELDS.forEach(function (name) { if (params[name]) { search.set(name, params[name]); } });
    (params.vs || []).forEach(function (v) { search.append("vs", v); });
    if (params.by && params.by !== "month") { search.set("by", params.by); }
    if (params.measure === "share") { search.set("measure", "share"); }
    if (params.page > 1) { search.set("page", String(params.page)); }
    var text = search.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function go(params) {  // a new view: the URL changes (history), the page answers it
    var url = toURL(params);
    try {
      window.history.pushState(null, "", url);
    } catch (e) {  // some browsers refuse history entries on file:// pages: load the URL instead
      window.location.href = url;
      return;
    }
    show(readURL());
  }

  function fill(params) {
    FIELDS.forEach(function (name) {
      var node = $(name === "q" ? "q" : "f-" + name);
      if (node) { node.value = params[name] || ""; }
    });
    $("vs").value = (params.vs || []).join("\n");
    $("f-by").value = params.by;
    $("f-measure").value = params.measure;
  }

  function fromForm() {
    var params = {};
    FIELDS.forEach(function (name) {
      var node = $(name === "q" ? "q" : "f-" + name);
      if (node && node.value.trim()) { params[name] = node.value.trim(); }
    });
    params.vs = $("vs").value.split("\n").map(function (v) { return v.trim(); }).filter(Boolean);
    params.by = $("f-by").value;
    params.measure = $("f-measure").value;
    params.page = 1;
    return params;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }
  function message(problem) { return Array.isArray(problem) ? t(problem[0], problem[1]) : String(problem); }

  function chips(params) {
    var list = $("active");
    clear(list);
    FIELDS.forEach(function (name) {
      if (!params[name] || name === "sort") { return; }
      var item = document.createElement("li"), button = document.createElement("button");
      item.appendChild(text("span", t("filter." + name) + ": ", "meta"));
      item.appendChild(text("span", params[name], "chip-value"));
      button.type = "button";
      button.className = "remove";
      button.textContent = "×";
      button.title = t("filter.remove");
      button.setAttribute("data-filter", name);
      button.addEventListener("click", function () {
        var next = readURL();
        delete next[name];
        next.page = 1;
        go(next);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function facets(answer, params) {
    var root = $("facets");
    clear(root);
    [["person", "person"], ["org", "org"], ["place", null], ["source", "source"], ["language", "lang"]].forEach(function (pair) {
      var values = answer.facets[pair[0]] || [];
      if (!values.length) { return; }
      var box = document.createElement("div");
      box.className = "facet";
      box.setAttribute("data-facet", pair[0]);
      box.appendChild(text("h3", t("facet." + pair[0])));
      var list = document.createElement("ul");
      values.forEach(function (value) {
        var item = document.createElement("li");
        if (pair[1]) {
          var link = document.createElement("a");
          link.href = "#";
          link.textContent = value.name;
          link.setAttribute("data-value", value.name);
          link.addEventListener("click", function (event) {
            event.preventDefault();
            var next = readURL();
            next[pair[1]] = value.name;
            next.page = 1;
            go(next);
          });
          item.appendChild(link);
        } else {
          item.appendChild(text("span", value.name));
        }
        item.appendChild(text("span", " " + value.count, "meta count"));
        list.appendChild(item);
      });
      box.appendChild(list);
      root.appendChild(box);
    });
  }

  function results(answer, params) {
    var list = $("results");
    clear(list);
    list.start = (answer.page - 1) * engine.PAGE + 1;
    answer.hits.forEach(function (hit) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = "articles/" + encodeURIComponent(String(hit.id)) + ".html";
      link.textContent = hit.title || "(no title)";
      item.appendChild(link);
      item.appendChild(text("span", " " + (hit.published || t("undated")) + " · " + hit.source + " · " + hit.language, "meta"));
      var snippet = document.createElement("p");
      snippet.className = "snippet";
      hit.snippet.forEach(function (part) { snippet.appendChild(part[1] ? text("mark", part[0]) : document.createTextNode(part[0])); });
      item.appendChild(snippet);
      list.appendChild(item);
    });
    var pager = $("pager");
    clear(pager);
    if (answer.pages <= 1) { return; }
    function pageLink(page, label, rel) {
      var link = document.createElement("a");
      link.href = toURL(Object.assign({}, params, { page: page }));
      link.textContent = label;
      if (rel) { link.rel = rel; link.className = rel; }
      link.addEventListener("click", function (event) {
        event.preventDefault();
        go(Object.assign({}, params, { page: page }));
        $("results-section").scrollIntoView();
      });
      return link;
    }
    if (answer.page > 1) { pager.appendChild(pageLink(answer.page - 1, t("pager.prev"), "prev")); }
    pager.appendChild(text("span", " " + t("pager.page", { page: answer.page, pages: answer.pages }) + " ", "page-of"));
    if (answer.page < answer.pages) { pager.appendChild(pageLink(answer.page + 1, t("pager.next"), "next")); }
    if (answer.page < answer.pages) { pager.appendChild(pageLink(answer.pages, "»", "last")); }
  }

  function render(answer, params) {
    $("picture").hidden = false;
    var undated = answer.timeline.reduce(function (sum, s) { return sum + s.undated; }, 0);
    status.textContent = (answer.total ? t("status.found", { n: answer.total }) : t("status.none")) +
      (undated ? " · " + t("chart.undated", { n: undated }) : "") + (mode === "server" ? t("status.mode.server") : "") +
      (answer.refine ? " · " + t("status.checking") : answer.approximatePhrases ? " · " + t("status.phrase") : "");
    // "phrases" while the exact answer is being worked out (tests and the benchmark wait for it to clear)
    document.documentElement.setAttribute("data-pending", answer.refine ? "phrases" : "");
    status.setAttribute("data-total", String(answer.total));
    chips(params);
    lastSvg = chart.render($("chart"), $("tooltip"), $("chart-data"), answer.timeline, params.measure, t);
    facets(answer, params);
    results(answer, params);
    document.documentElement.setAttribute("data-answered", String(Date.now()));
  }

  function show(params) {
    fill(params);
    lastParams = params;
    var asked = !!(params.q || params.vs.length || params.source || params.lang || params.since || params.until ||
      params.person || params.org);
    if (!asked) {
      $("picture").hidden = true;
      clear($("active"));
      status.textContent = t("status.ready", { n: engine.size() });
      document.documentElement.setAttribute("data-answered", String(Date.now()));
      return;
    }
    var ticket = ++running;
    engine.answer(params).then(function (answer) {
      if (ticket !== running) { return; }
      lastAnswer = answer;
      render(answer, params);
      if (!answer.refine) { return; }
      answer.refine().then(function (exact) {
        if (ticket !== running) { return; }
        lastAnswer = exact;
        render(exact, params);
      }, function (problem) {
        if (ticket !== running) { return; }
        status.textContent = t("status.error", { message: message(problem) });
        document.documentElement.setAttribute("data-pending", "");
      });
    }, function (problem) {
      if (ticket !== running) { return; }
      $("picture").hidden = true;
      status.textContent = t("status.error", { message: message(problem) });
      document.documentElement.setAttribute("data-answered", String(Date.now()));
    });
  }

  $("query-form").addEventListener("submit", function (event) { event.preventDefault(); go(fromForm()); });
  ["f-source", "f-lang", "f-sort"].forEach(function (id) {
    $(id).addEventListener("change", function () { go(fromForm()); });
  });
  ["f-by", "f-measure"].forEach(function (id) {
    $(id).addEventListener("change", function () {
      var next = readURL();
      next.by = $("f-by").value;
      next.measure = $("f-measure").value;
      go(next);
    });
  });
  $("dl-csv").addEventListener("click", function () { if (lastAnswer) { chart.downloadCSV(lastAnswer.timeline); } });
  $("dl-svg").addEventListener("click", function () { if (lastSvg) { chart.downloadSVG(lastSvg); } });
  $("dl-png").addEventListener("click", function () { if (lastSvg) { chart.downloadPNG(lastSvg); } });
  window.addEventListener("popstate", function () { show(readURL()); });
  i18n.onChange(function () { if (lastParams) { show(lastParams); } });

  engine.start().then(function (chosen) {
    mode = chosen;
    document.documentElement.setAttribute("data-mode", mode);
    show(readURL());
  }, function (problem) { status.textContent = t("status.error", { message: message(problem) }); });
}());
