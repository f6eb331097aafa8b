/* The interface in Russian or English: the browser's language decides, the header's button switches,
 * and the choice is remembered (localStorage; works opened from disk too).
 * Pages are written in English; every label is a <span data-i18n="key">, replaced here with textContent.
 * Other scripts call INO_I18N.t(key, values) and INO_I18N.onChange(fn). */
(function () {
  "use strict";
  var RU = {
    "site.name": "Архив ИНО Томск", "nav.years": "Годы", "nav.sources": "Источники", "nav.languages": "Языки",
    "nav.people": "Люди", "nav.orgs": "Организации",
    "articles": "статей", "undated": "без даты", "published": "Опубликовано", "source": "Источник",
    "original": "Оригинал", "language": "Язык", "people": "Люди", "orgs": "Организации", "places": "Места",
    "people.lower": "человек", "orgs.lower": "организаций", "languages": "Языки", "sources": "Источники",
    "kind.person": "Человек", "kind.org": "Организация", "entity.variants": "Варианты имени",
    "entity.roles": "Роли в текстах", "entity.chart": "Упоминания по месяцам", "entity.peak": "пик",
    "entity.companions": "Упоминается вместе с", "entity.name": "Имя", "entity.period": "Период",
    "entity.articles": "Статьи", "entity.all": "Все статьи на странице поиска",
    "heading.year": "Год", "heading.source": "Источник", "heading.language": "Язык",
    "index.title": "Архив новостей ИНО Томск",
    "form.q": "Поиск по архиву (русский или английский; любая форма слова)", "form.go": "Найти",
    "form.syntax": "\"фраза\" · OR · NOT или -слово · префикс*", "form.since": "С", "form.until": "По",
    "form.person": "Человек", "form.org": "Организация", "form.sort": "Порядок",
    "sort.auto": "по релевантности (без слов — по дате)", "sort.relevance": "по релевантности", "sort.date": "по дате",
    "form.vs": "Сравнить на графике с другими запросами (по одному в строке)",
    "status.loading": "Загрузка индекса…", "status.ready": "Введите слово для поиска по {n} статьям.",
    "status.found": "Найдено статей: {n}", "status.none": "Ничего не найдено.",
    "status.error": "Ошибка: {message}", "status.mode.server": " (ответы базы данных)",
    "status.checking": "фраза проверяется в текстах статей…", "status.phrase": "фраза найдена приблизительно (слишком много статей, чтобы проверить их тексты); точно — в ino-archive serve --db",
    "error.chars": "запрос длиннее {n} символов", "error.terms": "в запросе больше {n} разных слов",
    "error.date": "{value} — не дата: укажите год (2016), месяц (2016-03) или день (2016-03-14)",
    "error.order": "дата «с» {since} позже даты «по» {until}",
    "chart.title": "Внимание во времени", "chart.by": "По", "by.week": "неделям", "by.month": "месяцам",
    "by.year": "годам", "chart.measure": "Показать", "measure.count": "число статей",
    "measure.share": "долю всех статей", "chart.table": "Числа графика", "chart.period": "Период",
    "chart.matches": "статей", "chart.total": "всего", "chart.share": "доля", "chart.undated": "без даты: {n}",
    "facets.title": "В найденных статьях", "results.title": "Статьи",
    "pager.prev": "← Назад", "pager.next": "Вперёд →", "pager.page": "Страница {page} из {pages}",
    "filter.remove": "Убрать фильтр", "filter.q": "запрос", "filter.source": "источник", "filter.lang": "язык",
    "filter.since": "с", "filter.until": "по", "filter.person": "человек", "filter.org": "организация",
    "browse.years": "По годам", "browse.sources": "По источникам", "browse.languages": "По языкам",
    "browse.entities": "Люди и организации", "facet.person": "Люди", "facet.org": "Организации",
    "facet.place": "Места", "facet.source": "Источники", "facet.language": "Языки",
    "switch": "English"
  };
  var EN = {
    "status.ready": "Type a word to search {n} articles.", "status.found": "{n} articles found",
    "status.none": "Nothing found.", "status.error": "Error: {message}", "status.mode.server": " (answered by the database)",
    "status.checking": "checking the phrase in the articles' texts…", "status.phrase": "a phrase is found approximately (too many articles to check in their texts); exactly with ino-archive serve --db",
    "error.chars": "the query is longer than {n} characters", "error.terms": "the query has more than {n} distinct terms",
    "error.date": "{value} is not a date: give a year (2016), a month (2016-03) or a day (2016-03-14)",
    "error.order": "from {since} is after to {until}",
    "chart.period": "Period", "chart.matches": "articles", "chart.total": "all", "chart.share": "share",
    "chart.undated": "undated: {n}", "pager.prev": "← Previous", "pager.next": "Next →",
    "pager.page": "Page {page} of {pages}", "filter.remove": "Remove this filter", "filter.q": "query",
    "filter.source": "source", "filter.lang": "language", "filter.since": "from", "filter.until": "to",
    "filter.person": "person", "filter.org": "organisation", "facet.person": "People",
    "facet.org": "Organisations", "facet.place": "Places", "facet.source": "Sources", "facet.language": "Languages",
    "switch": "Русский"
  };
  var KEY = "ino-archive-ui-lang";
  var english = {};  // the pages' own English text per key, read before the first switch
  var listeners = [];

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function preferred() {
    var chosen = stored();
    if (chosen === "ru" || chosen === "en") { return chosen; }
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).toLowerCase().slice(0, 2);
      if (code === "ru") { return "ru"; }
      if (code === "en") { return "en"; }
    }
    return "en";
  }
  var lang = preferred();

  function t(key, values) {
    var text = lang === "ru" && RU.hasOwnProperty(key) ? RU[key] : (EN.hasOwnProperty(key) ? EN[key] : (english[key] || key));
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    return text;
  }

  function apply(root) {
    var nodes = (root || document).querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      var key = nodes[i].getAttribute("data-i18n");
      if (!english.hasOwnProperty(key)) { english[key] = nodes[i].textContent; }
      nodes[i].textContent = lang === "ru" && RU.hasOwnProperty(key) ? RU[key] : english[key];
    }
    document.documentElement.setAttribute("data-ui-lang", lang);
    var button = document.getElementById("ui-lang");
    if (button) { button.textContent = t("switch"); button.hidden = false; }
  }

  function setLanguage(chosen) {
    lang = chosen;
    try { window.localStorage.setItem(KEY, chosen); } catch (e) { /* private mode: this page only */ }
    apply();
    listeners.forEach(function (fn) { fn(lang); });
  }

  window.INO_I18N = {
    t: t, apply: apply, setLanguage: setLanguage,
    lang: function () { return lang; },
    onChange: function (fn) { listeners.push(fn); }
  };
  var button = document.getElementById("ui-lang");
  if (button) { button.addEventListener("click", function () { setLanguage(lang === "ru" ? "en" : "ru"); }); }
  apply();
}());
