/* The query engine of the archive site: the search language, the index files, and the answers.
 *
 * Two sources of answers, one shape:
 * - the static index under assets/index/ (archive/site/searchindex.py): meta.js, loaded with the page, has
 *   every article's day, language, source and entities; stem shards (s/<n>.js) and text blocks (t/<n>.js)
 *   are loaded when a query needs them, as <script> elements (fetch() of file:// does not work);
 * - `ino-archive serve --db`, which answers api/search, api/facets and api/timeline from the database
 *   with the library's own search (used when the page is served and api/status answers).
 * The parser mirrors archive/search/syntax.py (phrases, OR, NOT/-word, prefix*, forgiving) and its bounds
 * (meta.limits).  Words are folded like the archive folds them (lower case, ё → е) and found by stem
 * through the forms the archive saw; an unseen form is cut back, at most five letters, to a known stem.
 * A phrase is matched through the index's word pairs (searchindex.py, "Phrases"): from them alone when it is
 * two words whose stems are both frequent (in meta.pairFloor articles or more); any other phrase is narrowed
 * to the articles holding its pairs and words, then checked word by word in their texts (the t/ blocks):
 * at once within meta.limits.phraseBlocks blocks, after a first answer from the narrowed set (`refine`)
 * within meta.limits.phraseBlocksLater; past that the narrowed set stands and the answer says so
 * (approximatePhrases).  `serve --db` matches every phrase in the database.
 * Nothing here builds HTML: callers render with textContent. */
(function () {
  "use strict";
  var INO = window.INO_INDEX = window.INO_INDEX || {};
  var meta = null, shards = {}, blocks = {}, waiting = {};
  var keyIndex = null, entityNames = null, remote = null;
  var KEYWORDS = { AND: true, OR: true, NOT: true };
  var TOKEN = /"[^"]*"?|\S+/g;
  var WORD = /[\p{L}\p{N}]+/gu;
  var MAX_CUT = 5, MIN_STEM = 3, PAGE = 20, TOP = 10, MAX_COMPARED = 8;  // as archive/site/api.py
  var LAST = "0123456789abcdefghijklmnopqrstuv", MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  var DIGIT = new Int16Array(128).fill(-1), IS_LAST = new Uint8Array(128);
  for (var d = 0; d < 32; d++) {
    DIGIT[LAST.charCodeAt(d)] = d; IS_LAST[LAST.charCodeAt(d)] = 1; DIGIT[MORE.charCodeAt(d)] = d;
  }
  var MARK_OPEN = "\uE000", MARK_CLOSE = "\uE001";

  function has(map, key) { return Object.prototype.hasOwnProperty.call(map, key); }
  function fold(word) { return word.toLowerCase().replace(/ё/g, "е"); }
  function wordsOf(text) { return text.match(WORD) || []; }

  // --- index files --------------------------------------------------------------------------------------

  INO.meta = function (data) { meta = data; };
  INO.shard = function (n, data) { shards[n] = data; settle("s" + n); };
  INO.block = function (n, data) { blocks[n] = data; settle("t" + n); };

  function settle(name) {
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (pair) { pair[0](); });
  }

  function load(kind, n) {
    var store = kind === "s" ? shards : blocks, name = kind + n;
    if (has(store, n)) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      if (has(waiting, name)) { waiting[name].push([resolve, reject]); return; }
      waiting[name] = [[resolve, reject]];
      var script = document.createElement("script");
      script.src = "assets/index/" + kind + "/" + n + ".js";
      script.onerror = function () {
        var callbacks = waiting[name] || [];
        delete waiting[name];
        callbacks.forEach(function (pair) { pair[1](new Error("cannot load " + script.src)); });
      };
      document.head.appendChild(script);
    });
  }

  function keys() {
    if (keyIndex === null) {
      keyIndex = {};
      meta.shards.forEach(function (key, n) { keyIndex[key] = n; });
    }
    return keyIndex;
  }

  function shardOf(value) {
    for (var length = value.length; length > 0; length--) {
      if (has(keys(), value.slice(0, length))) { return keys()[value.slice(0, length)]; }
    }
    return keys()[""];
  }

  function shardsUnder(prefix) {  // the shard of the prefix and every shard whose key starts with it
    var found = [shardOf(prefix)];
    meta.shards.forEach(function (key, n) { if (key.length > prefix.length && key.indexOf(prefix) === 0) { found.push(n); } });
    return found;
  }

  function decodeGaps(text) {  // a pair's articles: the numbers ascending, as gaps without weights
    var numbers = [], value = 0, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      value = value * 32 + DIGIT[code];
      if (IS_LAST[code]) { previous += value; numbers.push(previous); value = 0; }
    }
    return numbers;
  }

  function decode(text) {  // the postings string: [numbers ascending, weights]
    var numbers = [], weights = [], value = 0, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      value = value * 32 + DIGIT[code];
      if (IS_LAST[code]) {
        previous += Math.floor(value / 8);
        numbers.push(previous);
        weights.push(value % 8);
        value = 0;
      }
    }
    return { numbers: numbers, weights: weights };
  }

  // --- the search language (archive/search/syntax.py) ------------------------------------------------------

  function term(token) {
    var found = wordsOf(token);
    if (!found.length) { return null; }
    if (token.charAt(0) === '"') { return { words: found, prefix: false }; }
    return { words: found, prefix: token.charAt(token.length - 1) === "*" && found.length === 1 };
  }

  function isOperand(token) {
    return token !== undefined && !has(KEYWORDS, token) && term(token.replace(/^-+/, "")) !== null;
  }

  function parse(text) {
    var tokens = (text || "").match(TOKEN) || [];
    var groups = [], group = { include: [], exclude: [] }, negate = false;
    function filled(g) { return g.include.length + g.exclude.length > 0; }
    tokens.forEach(function (token, index) {
      if (has(KEYWORDS, token)) {
        if (!isOperand(tokens[index + 1])) { return; }
        if (token === "OR" && filled(group)) {
          groups.push(group);
          group = { include: [], exclude: [] };
          negate = false;
        } else if (token === "NOT") {
          negate = true;
        }
        return;
      }
      var quoted = token.charAt(0) === '"';
      var negated = negate || (token.charAt(0) === "-" && token.length > 1 && !quoted);
      var found = term(quoted ? token : token.replace(/^-+/, ""));
      negate = false;
      if (found !== null) { (negated ? group.exclude : group.include).push(found); }
    });
    if (filled(group)) { groups.push(group); }
    if (!groups.length && tokens.length && tokens.every(function (t) { return has(KEYWORDS, t); })) {
      groups.push({ include: tokens.map(function (t) { return { words: [t], prefix: false }; }), exclude: [] });
    }
    return groups;
  }

  function checkLimits(text, limits) {  // the library's bounds: an error message, or null
    if (Array.from(text || "").length > limits.chars) { return ["error.chars", { n: limits.chars }]; }
    var distinct = {};
    parse(text).forEach(function (group) {
      group.include.concat(group.exclude).forEach(function (t) {
        distinct[(t.prefix ? "*" : "") + t.words.join(" ")] = true;
      });
    });
    if (Object.keys(distinct).length > limits.terms) { return ["error.terms", { n: limits.terms }]; }
    return null;
  }

  // --- dates and periods (archive/search/periods.py) -------------------------------------------------------

  var BOUND = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
  var DAY_MS = 86400000;

  function dateBound(text, end) {  // days since 1970-01-01, or null when text is no date
    var found = BOUND.exec(String(text).trim());
    if (!found) { return null; }
    var year = +found[1], month = found[2] ? +found[2] : null, day = found[3] ? +found[3] : null;
    if (month !== null && (month < 1 || month > 12)) { return null; }
    if (month === null) { return Date.UTC(year, end ? 11 : 0, end ? 31 : 1) / DAY_MS; }
    if (day === null) { return end ? Date.UTC(year, month, 0) / DAY_MS : Date.UTC(year, month - 1, 1) / DAY_MS; }
    var value = Date.UTC(year, month - 1, day);
    if (new Date(value).getUTCDate() !== day) { return null; }
    return value / DAY_MS;
  }

  function pad(n, width) { var s = String(n); while (s.length < width) { s = "0" + s; } return s; }

  var periodKeys = { week: {}, month: {}, year: {} };  // day → key: a few thousand days, many articles each
  function periodKey(dayNumber, by) {
    var known = periodKeys[by][dayNumber];
    if (known === undefined) { known = periodKeys[by][dayNumber] = computeKey(dayNumber, by); }
    return known;
  }

  function computeKey(dayNumber, by) {
    var date = new Date(dayNumber * DAY_MS);
    if (by === "year") { return pad(date.getUTCFullYear(), 4); }
    if (by === "month") { return pad(date.getUTCFullYear(), 4) + "-" + pad(date.getUTCMonth() + 1, 2); }
    var weekday = (date.getUTCDay() + 6) % 7;  // Monday 0
    var thursday = new Date((dayNumber - weekday + 3) * DAY_MS);
    var year = thursday.getUTCFullYear();
    var week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7);
    return pad(year, 4) + "-W" + pad(week, 2);
  }

  function periodRange(first, last, by) {
    var out = [], seen = {};
    if (first > last) { return out; }
    var step = by === "week" ? 7 : 1;
    var start = by === "week" ? first - ((new Date(first * DAY_MS).getUTCDay() + 6) % 7) : first;
    if (by !== "week") {  // walk months: the first day of each
      var date = new Date(first * DAY_MS), y = date.getUTCFullYear(), m = by === "year" ? 0 : date.getUTCMonth();
      var end = new Date(last * DAY_MS);
      while (Date.UTC(y, m, 1) <= Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1)) {
        var key = periodKey(Date.UTC(y, m, 1) / DAY_MS, by);
        if (!seen[key]) { seen[key] = true; out.push(key); }
        if (by === "year") { y += 1; } else if (m === 11) { y += 1; m = 0; } else { m += 1; }
      }
      return out;
    }
    for (var day = start; day <= last; day += step) { out.push(periodKey(day, "week")); }
    return out;
  }

  // --- matching on the static index -------------------------------------------------------------------------

  function stemIn(word) {  // the stem of a folded word from loaded shards, or null
    var shard = shards[shardOf(word)];
    if (has(shard.forms, word)) { return shard.forms[word]; }
    if (has(shard.stems, word)) { return word; }
    for (var cut = 1; cut <= MAX_CUT && word.length - cut >= MIN_STEM; cut++) {
      var head = word.slice(0, word.length - cut), near = shards[shardOf(head)];
      if (has(near.stems, head)) { return head; }
      if (has(near.forms, head)) { return near.forms[head]; }
      // Snowball rewrites final letters ("university" → "universiti"): a stem one letter longer than the head.
      var longer = Object.keys(near.stems).filter(function (s) { return s.length === head.length + 1 && s.indexOf(head) === 0; });
      if (longer.length === 1) { return longer[0]; }
    }
    return null;
  }

  function heads(word) {
    var found = [word];
    for (var cut = 1; cut <= MAX_CUT && word.length - cut >= MIN_STEM; cut++) { found.push(word.slice(0, word.length - cut)); }
    return found;
  }

  function shardsFor(groups) {
    var wanted = {};
    groups.forEach(function (group) {
      group.include.concat(group.exclude).forEach(function (t) {
        t.words.forEach(function (word) {
          var folded = fold(word);
          if (t.prefix) { shardsUnder(folded).forEach(function (n) { wanted[n] = true; }); }
          heads(folded).forEach(function (head) { wanted[shardOf(head)] = true; });
        });
      });
    });
    return Object.keys(wanted).map(Number);
  }

  var decoded = {};
  function postings(stem) {
    if (!has(decoded, stem)) {
      var shard = shards[shardOf(stem)];
      decoded[stem] = has(shard.stems, stem) ? decode(shard.stems[stem]) : { numbers: [], weights: [] };
    }
    return decoded[stem];
  }

  // --- phrases: word pairs of frequent stems --------------------------------------------------------------

  var SAME = "=";  // a pair in every article holding both its stems (searchindex.SAME)

  function frequent(stem) { return postings(stem).numbers.length >= meta.pairFloor; }

  function pairKeys(t) {  // the keys of a phrase's pairs of frequent stems; [] for a word or a prefix
    if (t.prefix || t.words.length < 2) { return []; }
    var stems = termStems(t), found = [];
    if (stems.some(function (s) { return s === null; })) { return found; }
    for (var i = 0; i + 1 < stems.length; i++) {
      if (frequent(stems[i]) && frequent(stems[i + 1])) { found.push(stems[i] + " " + stems[i + 1]); }
    }
    return found;
  }

  function needsTexts(t) {  // a phrase the pairs alone do not answer exactly (a word or prefix never)
    if (t.prefix || t.words.length < 2) { return false; }
    var stems = termStems(t);
    if (stems.some(function (s) { return s === null; })) { return false; }  // a word the archive never saw
    return !(stems.length === 2 && pairKeys(t).length === 1);
  }

  function phraseKey(t) { return t.words.map(fold).join(" "); }

  function phraseExact(t) { return !needsTexts(t) || has(checked, phraseKey(t)); }

  // --- phrases checked in the texts of the articles the pairs leave ---------------------------------------

  var checked = {};  // a phrase's folded words -> Uint8Array over the articles: 1 where the phrase stands

  function stemTest(stem) {  // folded word -> whether the archive stems it to `stem` (the forms it saw)
    var shard = shards[shardOf(stem)] || {}, listed = {};
    ((shard.inflected || {})[stem] || "").split(" ").forEach(function (form) { if (form) { listed[form] = true; } });
    var itself = !has(shard.forms || {}, stem);  // the stem as a word is its own stem unless forms says otherwise
    return function (folded) { return has(listed, folded) || (itself && folded === stem); };
  }

  function holdsPhrase(text, tests) {  // whether the words of `text` hold one word passing each test, in a row
    var found = (text || "").match(WORD) || [], length = tests.length, folded = new Array(found.length);
    function at(i) { if (folded[i] === undefined) { folded[i] = fold(found[i]); } return folded[i]; }
    for (var i = 0; i + length <= found.length; i++) {
      var j = 0;
      while (j < length && tests[j](at(i + j))) { j++; }
      if (j === length) { return true; }
    }
    return false;
  }

  // Loads the text blocks the phrases need, at most `limit`, and checks them; resolves to the number of
  // blocks the phrases left unchecked would need on top (0: every phrase is exact now).
  function checkPhrases(groups, limit) {
    var count = meta.ids.length, size = meta.block, todo = {}, blocksUsed = {}, blocksLeft = {};
    groups.forEach(function (g) {
      g.forEach(function (group) {
        group.include.concat(group.exclude).forEach(function (t) {
          if (needsTexts(t) && !has(checked, phraseKey(t))) { todo[phraseKey(t)] = t; }
        });
      });
    });
    var accepted = [];
    Object.keys(todo).forEach(function (key) {
      var scores = termScores(todo[key], count), candidates = [], more = {};
      for (var n = 0; n < count; n++) {
        if (scores[n] > 0) {
          candidates.push(n);
          if (!has(blocksUsed, Math.floor(n / size))) { more[Math.floor(n / size)] = true; }
        }
      }
      if (Object.keys(blocksUsed).length + Object.keys(more).length > limit) {
        Object.keys(more).forEach(function (b) { blocksLeft[b] = true; });
        return;
      }
      Object.keys(more).forEach(function (b) { blocksUsed[b] = true; });
      accepted.push([key, todo[key], candidates]);
    });
    var names = Object.keys(blocksUsed).map(Number);
    return Promise.all(names.map(function (b) { return load("t", b).then(function () { return unpack(b); }); }))
      .then(function () {
        accepted.forEach(function (item) {
          var tests = termStems(item[1]).map(stemTest), holds = new Uint8Array(count);
          item[2].forEach(function (n) {
            var pair = blocks[Math.floor(n / size)][n % size];
            if (holdsPhrase(pair[0], tests) || holdsPhrase(pair[1], tests)) { holds[n] = 1; }
          });
          checked[item[0]] = holds;
        });
        return Object.keys(blocksLeft).length;
      });
  }

  var pairCache = {};
  function pairArticles(key) {  // null: in no article; SAME; or the article numbers
    if (!has(pairCache, key)) {
      var pairs = shards[shardOf(key)].pairs || {};
      pairCache[key] = !has(pairs, key) ? null : pairs[key] === SAME ? SAME : decodeGaps(pairs[key]);
    }
    return pairCache[key];
  }

  function pairShards(groups) {  // the shards holding the pairs of the phrases (word shards loaded first)
    var wanted = {};
    groups.forEach(function (group) {
      group.include.concat(group.exclude).forEach(function (t) {
        pairKeys(t).forEach(function (key) { wanted[shardOf(key)] = true; });
      });
    });
    return Object.keys(wanted).filter(function (n) { return !has(shards, n); });
  }

  function keepPairs(t, scores, count) {  // scores of articles without one of the phrase's pairs set to 0
    pairKeys(t).forEach(function (key) {
      var found = pairArticles(key);
      if (found === SAME) { return; }
      var holds = new Uint8Array(count);
      (found || []).forEach(function (n) { holds[n] = 1; });
      for (var k = 0; k < count; k++) { if (!holds[k]) { scores[k] = 0; } }
    });
  }

  function termStems(t) {  // stems this term matches; a prefix matches every stem starting with its forms
    var folded = fold(t.words[0]);
    if (!t.prefix) {
      return t.words.map(function (word) { return stemIn(fold(word)); });
    }
    var forms = [folded], own = stemIn(folded);
    if (own !== null && own !== folded) { forms.push(own); }
    var found = {};
    shardsUnder(folded).concat(own !== null ? shardsUnder(own) : []).forEach(function (n) {
      Object.keys(shards[n].stems).forEach(function (s) {
        if (forms.some(function (f) { return s.indexOf(f) === 0; })) { found[s] = true; }
      });
    });
    return Object.keys(found);
  }

  // A term's articles as a Float32Array of scores (0: not matched), over all articles.
  function termScores(t, count) {
    var scores = new Float32Array(count), stems = termStems(t);
    if (!t.prefix) {  // every word (a phrase: all of them) must be there
      if (stems.some(function (s) { return s === null; })) { return scores; }
      var seen = new Uint8Array(count);
      stems.forEach(function (stem, index) {
        var p = postings(stem), idf = Math.log(1 + count / Math.max(1, p.numbers.length));
        for (var i = 0; i < p.numbers.length; i++) {
          var n = p.numbers[i];
          if (seen[n] === index) {
            seen[n] = index + 1;
            scores[n] += idf * (1 + 0.5 * (p.weights[i] & 3) + ((p.weights[i] & 4) ? 3 : 0));
          }
        }
      });
      for (var k = 0; k < count; k++) { if (seen[k] !== stems.length) { scores[k] = 0; } }
      keepPairs(t, scores, count);
      var holds = has(checked, phraseKey(t)) ? checked[phraseKey(t)] : null;
      if (holds !== null) { for (var h = 0; h < count; h++) { if (!holds[h]) { scores[h] = 0; } } }
      return scores;
    }
    stems.forEach(function (stem) {
      var p = postings(stem), idf = Math.log(1 + count / Math.max(1, p.numbers.length));
      for (var i = 0; i < p.numbers.length; i++) {
        var score = idf * (1 + 0.5 * (p.weights[i] & 3) + ((p.weights[i] & 4) ? 3 : 0));
        if (score > scores[p.numbers[i]]) { scores[p.numbers[i]] = score; }
      }
    });
    return scores;
  }

  // Scores of every article for the parsed query (> 0: matched); null when the query has no words.
  function textScores(groups) {
    if (!groups.length) { return null; }
    var count = meta.ids.length, total = new Float32Array(count), cache = {};
    function scoresOf(t) {
      var key = (t.prefix ? "*" : "") + t.words.join(" ");
      if (!has(cache, key)) { cache[key] = termScores(t, count); }
      return cache[key];
    }
    groups.forEach(function (group) {
      var include = group.include.map(scoresOf), exclude = group.exclude.map(scoresOf);
      for (var n = 0; n < count; n++) {
        var score = 0, ok = true;
        for (var i = 0; i < include.length && ok; i++) { if (include[i][n] > 0) { score += include[i][n]; } else { ok = false; } }
        for (var j = 0; j < exclude.length && ok; j++) { if (exclude[j][n] > 0) { ok = false; } }
        if (ok) { score = Math.max(score, 1e-6); if (score > total[n]) { total[n] = score; } }
      }
    });
    return total;
  }

  function entityMatches(kind, name) {  // entity numbers that `name` names: in the name or an alias, any case
    var wanted = fold(name.trim()), found = {};
    if (!wanted) { return found; }
    meta.entities.forEach(function (entity, n) {
      if (entity[0] !== kind) { return; }
      var names = [entity[1]].concat(entity[2] || []);
      if (names.some(function (value) { return fold(value).indexOf(wanted) >= 0; })) { found[n] = true; }
    });
    return found;
  }

  // Which articles pass the filters; `collection` leaves out words, person and organisation.
  // The last few answers are kept: one view asks for the same filters for each compared query.
  var passed = {};
  function passing(params, collectionOnly) {
    var key = JSON.stringify([collectionOnly, params.lang, params.source, params.since, params.until,
      collectionOnly ? null : params.person, collectionOnly ? null : params.org]);
    if (!has(passed, key)) {
      if (Object.keys(passed).length > 8) { passed = {}; }
      passed[key] = computePassing(params, collectionOnly);
    }
    return passed[key];
  }

  function computePassing(params, collectionOnly) {
    var count = meta.ids.length, pass = new Uint8Array(count).fill(1);
    var lang = params.lang ? meta.languageNames.indexOf(params.lang.toLowerCase()) : null;
    var source = params.source ? meta.sourceNames.indexOf(params.source) : null;
    var since = params.since ? dateBound(params.since, false) : null;
    var until = params.until ? dateBound(params.until, true) : null;
    var named = [];
    if (!collectionOnly) {
      if (params.person) { named.push(entityMatches("person", params.person)); }
      if (params.org) { named.push(entityMatches("org", params.org)); }
    }
    for (var n = 0; n < count; n++) {
      if (lang !== null && meta.languages[n] !== lang) { pass[n] = 0; continue; }
      if (source !== null && meta.sources[n] !== source) { pass[n] = 0; continue; }
      var day = meta.days[n];
      if (since !== null && (day < 0 || day < since)) { pass[n] = 0; continue; }
      if (until !== null && (day < 0 || day > until)) { pass[n] = 0; continue; }
      for (var k = 0; k < named.length; k++) {
        var entities = meta.docEntities[n], hit = false;
        for (var e = 0; e < entities.length; e++) { if (named[k][entities[e]]) { hit = true; break; } }
        if (!hit) { pass[n] = 0; break; }
      }
    }
    return pass;
  }

  function validate(params) {
    var limits = meta.limits;
    var texts = [params.q || ""].concat(params.vs || []);
    for (var i = 0; i < texts.length; i++) {
      var problem = checkLimits(texts[i], limits);
      if (problem) { return problem; }
    }
    var bounds = [["since", false], ["until", true]];
    for (var b = 0; b < bounds.length; b++) {
      var value = params[bounds[b][0]];
      if (value && dateBound(value, bounds[b][1]) === null) { return ["error.date", { value: value }]; }
    }
    if (params.since && params.until && dateBound(params.since, false) > dateBound(params.until, true)) {
      return ["error.order", { since: params.since, until: params.until }];
    }
    return null;
  }

  function matches(text, params) {  // [numbers of matching articles, scores or null]
    var groups = parse(text), scores = textScores(groups), pass = passing(params, false), hits = [];
    for (var n = 0; n < pass.length; n++) {
      if (pass[n] && (scores === null || scores[n] > 0)) { hits.push(n); }
    }
    return [hits, scores];
  }

  // The first `count` hits in order.  Articles are numbered newest first (undated last, then by id, as
  // the archive lists them), so by date the order is the numbers' own; by relevance the best `count`
  // are kept in a small heap instead of sorting every match.
  function firstHits(hits, scores, sort, count) {
    if ((sort || (scores ? "relevance" : "date")) !== "relevance" || !scores) { return hits.slice(0, count); }
    var better = function (a, b) { return scores[a] > scores[b] || (scores[a] === scores[b] && a < b); };
    var heap = [];  // the worst kept hit on top
    function down(i) {
      for (;;) {
        var l = 2 * i + 1, r = l + 1, worst = i;
        if (l < heap.length && better(heap[worst], heap[l])) { worst = l; }
        if (r < heap.length && better(heap[worst], heap[r])) { worst = r; }
        if (worst === i) { return; }
        var swap = heap[i]; heap[i] = heap[worst]; heap[worst] = swap; i = worst;
      }
    }
    hits.forEach(function (n) {
      if (heap.length < count) {
        heap.push(n);
        for (var i = heap.length - 1; i > 0;) {
          var parent = (i - 1) >> 1;
          if (!better(heap[parent], heap[i])) { break; }
          var swap = heap[i]; heap[i] = heap[parent]; heap[parent] = swap; i = parent;
        }
      } else if (count > 0 && better(n, heap[0])) {
        heap[0] = n;
        down(0);
      }
    });
    return heap.sort(function (a, b) { return better(a, b) ? -1 : 1; });
  }

  function top(counter, names) {
    return Object.keys(counter).map(function (key) { return { name: names(key), count: counter[key] }; })
      .sort(function (a, b) { return (b.count - a.count) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); })
      .slice(0, TOP);
  }

  function facetsOf(hits) {
    var kinds = { person: {}, org: {}, place: {} }, sources = {}, languages = {};
    hits.forEach(function (n) {
      meta.docEntities[n].forEach(function (e) { var c = kinds[meta.entities[e][0]]; c[e] = (c[e] || 0) + 1; });
      sources[meta.sources[n]] = (sources[meta.sources[n]] || 0) + 1;
      languages[meta.languages[n]] = (languages[meta.languages[n]] || 0) + 1;
    });
    var entityName = function (e) { return meta.entities[e][1]; };
    return {
      person: top(kinds.person, entityName), org: top(kinds.org, entityName), place: top(kinds.place, entityName),
      source: top(sources, function (i) { return meta.sourceNames[i]; }),
      language: top(languages, function (i) { return meta.languageNames[i]; })
    };
  }

  function timelineOf(hitLists, labels, params, by) {
    var pass = passing(params, true), totals = {}, first = null, last = null;
    for (var n = 0; n < pass.length; n++) {
      var day = meta.days[n];
      if (!pass[n] || day < 0) { continue; }
      var key = periodKey(day, by);
      totals[key] = (totals[key] || 0) + 1;
      if (first === null || day < first) { first = day; }
      if (last === null || day > last) { last = day; }
    }
    if (first !== null && params.since) { first = dateBound(params.since, false); }  // no dated article: no periods
    if (last !== null && params.until) { last = dateBound(params.until, true); }
    var periods = first === null ? [] : periodRange(first, last, by);
    return hitLists.map(function (hits, index) {
      var counts = {}, undated = 0;
      hits.forEach(function (n) {
        if (meta.days[n] < 0) { undated += 1; return; }
        var key = periodKey(meta.days[n], by);
        counts[key] = (counts[key] || 0) + 1;
      });
      return {
        label: labels[index], undated: undated,
        periods: periods.map(function (key) { return { period: key, matches: counts[key] || 0, total: totals[key] || 0 }; })
      };
    });
  }

  // --- snippets on the static site (archive/search/snippet.py, by loaded forms) ----------------------------------

  var WIDTH = 200;
  function wordMatcher(groups) {
    var stems = {}, prefixes = [];
    groups.forEach(function (group) {
      group.include.forEach(function (t) {
        if (t.prefix) { prefixes.push(fold(t.words[0])); return; }
        t.words.forEach(function (word) { var s = stemIn(fold(word)); if (s) { stems[s] = true; } });
      });
    });
    return function (word) {
      var folded = fold(word);
      for (var p = 0; p < prefixes.length; p++) { if (folded.indexOf(prefixes[p]) === 0) { return true; } }
      var shard = shards[shardOf(folded)];
      if (shard) {
        if (has(shard.forms, folded)) { return has(stems, shard.forms[folded]); }
        if (has(shard.stems, folded)) { return has(stems, folded); }
      }
      return Object.keys(stems).some(function (s) {  // a form no loaded shard knows: by its beginning
        return folded.indexOf(s) === 0 && folded.length - s.length <= MAX_CUT;
      });
    };
  }

  function snippetOf(text, matcher) {  // [[text, marked], …]
    var flat = text.replace(/\s+/g, " ").trim(), first = 0, match;
    var words = new RegExp(WORD.source, "gu");
    while ((match = words.exec(flat)) !== null) { if (matcher(match[0])) { first = match.index; break; } }
    var start = Math.max(0, first - Math.floor(WIDTH / 3));
    if (start > 0) { var space = flat.indexOf(" ", start); start = space >= 0 && space < first ? space + 1 : start; }
    var end = Math.min(flat.length, start + WIDTH);
    if (end < flat.length) { var last = flat.lastIndexOf(" ", end); end = last > start ? last : end; }
    var window = flat.slice(start, end), parts = [], cursor = 0;
    words = new RegExp(WORD.source, "gu");
    while ((match = words.exec(window)) !== null) {
      if (!matcher(match[0])) { continue; }
      if (match.index > cursor) { parts.push([window.slice(cursor, match.index), false]); }
      parts.push([match[0], true]);
      cursor = match.index + match[0].length;
    }
    if (cursor < window.length) { parts.push([window.slice(cursor), false]); }
    if (start > 0) { parts.unshift(["…", false]); }
    if (end < flat.length) { parts.push(["…", false]); }
    return parts;
  }

  function unpack(n) {  // a text block: gzipped JSON in base64, opened by the browser
    var packed = blocks[n];
    if (typeof packed !== "string") { return Promise.resolve(packed); }
    var bytes = typeof Uint8Array.fromBase64 === "function" ? Uint8Array.fromBase64(packed) : null;
    if (bytes === null) {  // browsers before 2025
      var binary = atob(packed);
      bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (text) { blocks[n] = JSON.parse(text); return blocks[n]; });
  }

  function hitsOf(numbers, groups) {
    var size = meta.block, wanted = {};
    numbers.forEach(function (n) { wanted[Math.floor(n / size)] = true; });
    var names = Object.keys(wanted).map(Number);
    return Promise.all(names.map(function (b) { return load("t", b).then(function () { return unpack(b); }); }))
      .then(function () {
        var matcher = wordMatcher(groups);
        return numbers.map(function (n) {
          var pair = blocks[Math.floor(n / size)][n % size], day = meta.days[n];
          return {
            id: meta.ids[n], title: pair[0], source: meta.sourceNames[meta.sources[n]],
            language: meta.languageNames[meta.languages[n]],
            published: day < 0 ? null : new Date(day * DAY_MS).toISOString().slice(0, 10),
            snippet: snippetOf(pair[1], matcher)
          };
        });
      });
  }

  // The answer from the index.  A phrase that needs more text blocks than meta.limits.phraseBlocks is
  // answered from its word pairs first; `refine` then checks it in up to meta.limits.phraseBlocksLater
  // blocks and resolves to the exact answer (the page draws both), else the answer says it is approximate.
  function staticAnswer(params, thorough) {
    var problem = validate(params);
    if (problem) { return Promise.reject(problem); }
    var texts = [params.q || ""].concat((params.vs || []).slice(0, MAX_COMPARED));
    var groups = texts.map(parse);
    var wanted = {};
    groups.forEach(function (g) { shardsFor(g).forEach(function (n) { wanted[n] = true; }); });
    return Promise.all(Object.keys(wanted).map(function (n) { return load("s", n); })).then(function () {
      var pairsWanted = {};
      groups.forEach(function (g) { pairShards(g).forEach(function (n) { pairsWanted[n] = true; }); });
      return Promise.all(Object.keys(pairsWanted).map(function (n) { return load("s", n); }));
    }).then(function () {
      return checkPhrases(groups, thorough ? meta.limits.phraseBlocksLater || 0 : meta.limits.phraseBlocks || 0);
    }).then(function (blocksLeft) {
      var main = matches(texts[0], params), hits = main[0];
      var page = Math.max(1, params.page || 1), pages = Math.max(1, Math.ceil(hits.length / PAGE));
      page = Math.min(page, pages);
      var shown = firstHits(hits, main[1], params.sort, page * PAGE).slice((page - 1) * PAGE);
      var lists = [hits].concat(texts.slice(1).map(function (text) { return matches(text, params)[0]; }));
      var phrases = groups.some(function (g) {
        return g.some(function (group) {
          return group.include.concat(group.exclude).some(function (t) { return !phraseExact(t); });
        });
      });
      var answer = {
        total: hits.length, page: page, pages: pages, facets: facetsOf(hits), approximatePhrases: phrases,
        timeline: timelineOf(lists, texts, params, params.by || "month"),
        refine: thorough || !blocksLeft || blocksLeft > (meta.limits.phraseBlocksLater || 0) ? null
          : function () { return staticAnswer(params, true); }
      };
      return hitsOf(shown, groups[0]).then(function (found) {
        answer.hits = found;
        return answer;
      });
    });
  }

  // --- answers from `serve --db` ---------------------------------------------------------------------------

  function apiQuery(params, extra) {
    var search = new URLSearchParams();
    ["q", "source", "lang", "since", "until", "person", "org", "sort", "by", "page"].forEach(function (name) {
      if (params[name]) { search.set(name, params[name]); }
    });
    (params.vs || []).forEach(function (value) { search.append("vs", value); });
    Object.keys(extra || {}).forEach(function (name) { search.set(name, extra[name]); });
    return search.toString();
  }

  function getJSON(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw ["status.error", { message: body.error || response.status }]; }
        return body;
      });
    });
  }

  function splitMarks(snippet) {  // the server marks matches with U+E000 … U+E001
    var parts = [];
    snippet.split(MARK_OPEN).forEach(function (piece, index) {
      if (index === 0) { if (piece) { parts.push([piece, false]); } return; }
      var close = piece.indexOf(MARK_CLOSE);
      if (close < 0) { parts.push([piece, false]); return; }
      parts.push([piece.slice(0, close), true]);
      if (close + 1 < piece.length) { parts.push([piece.slice(close + 1), false]); }
    });
    return parts;
  }

  function remoteAnswer(params) {
    var problem = validate(params);
    if (problem) { return Promise.reject(problem); }
    var query = apiQuery(params);
    return Promise.all([getJSON("api/search?" + query), getJSON("api/facets?" + query), getJSON("api/timeline?" + query)])
      .then(function (parts) {
        var found = parts[0];
        found.hits.forEach(function (hit) { hit.snippet = splitMarks(hit.snippet); });
        found.facets = parts[1];
        found.timeline = parts[2];
        return found;
      });
  }

  function start() {  // resolves to "static" or "server"
    if (!meta) { return Promise.reject(["status.error", { message: "assets/index/meta.js did not load" }]); }
    if (!/^https?:$/.test(window.location.protocol)) { return Promise.resolve("static"); }
    return fetch("api/status", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { remote = body && body.api === 1; return remote ? "server" : "static"; })
      .catch(function () { return "static"; });
  }

  INO.engine = {
    start: start,
    answer: function (params) { return remote ? remoteAnswer(params) : staticAnswer(params, false); },
    parse: parse, dateBound: dateBound, periodKey: periodKey, periodRange: periodRange,
    size: function () { return meta ? meta.ids.length : 0; },
    names: function () { return meta ? { sources: meta.sourceNames, languages: meta.languageNames } : null; },
    PAGE: PAGE
  };
}());
