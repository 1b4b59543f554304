// Search on a static copy of the site (export_site): the live site searches on the server; a
// static host cannot, so the exported search page carries
//   <meta name="static-search-index" content="/base/search-index.json">
// and this script answers `?q=` from that prebuilt index, with the live search's rules: every
// word must match (in the title, tags, summary or text), "quoted phrases", -word to exclude,
// OR between alternatives. Results are built with DOM methods only (no HTML from the index).
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="static-search-index"]');
  if (!meta || !window.fetch) return;
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (!query) return;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The query as groups of alternatives: [[{text, negated}, ...], ...]; every group must match.
  function parse(text) {
    var tokens = [];
    var pattern = /(-?)"([^"]*)"|(\S+)/g;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match[3] === "OR") {
        tokens.push("OR");
      } else if (match[2] !== undefined) {
        tokens.push({ text: fold(match[2].trim()), negated: match[1] === "-" });
      } else {
        var word = match[3];
        var negated = word.length > 1 && word.charAt(0) === "-";
        tokens.push({ text: fold(negated ? word.slice(1) : word), negated: negated });
      }
    }
    var groups = [];
    tokens.forEach(function (token, index) {
      if (token === "OR" || !token.text) return;
      if (tokens[index - 1] === "OR" && groups.length) {
        groups[groups.length - 1].push(token);
      } else {
        groups.push([token]);
      }
    });
    return groups;
  }

  function count(haystack, needle) {
    var found = 0;
    var at = haystack.indexOf(needle);
    while (at !== -1) {
      found += 1;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return found;
  }

  function score(post, groups) {
    var title = fold(post.title);
    var tags = fold(post.tags.join(" "));
    var text = fold(post.summary + " " + post.text);
    var total = 0;
    for (var g = 0; g < groups.length; g += 1) {
      var best = 0;
      var excluded = false;
      for (var t = 0; t < groups[g].length; t += 1) {
        var term = groups[g][t];
        var hits = 10 * count(title, term.text) + 5 * count(tags, term.text) +
          count(text, term.text);
        if (term.negated) {
          if (hits) excluded = true;
          else best = Math.max(best, 1);
        } else {
          best = Math.max(best, hits);
        }
      }
      if (excluded || !best) return 0;
      total += best;
    }
    return total;
  }

  function snippet(post, groups) {
    var text = post.text;
    var folded = fold(text);
    var at = -1;
    groups.forEach(function (group) {
      group.forEach(function (term) {
        var found = term.negated ? -1 : folded.indexOf(term.text);
        if (found !== -1 && (at === -1 || found < at)) at = found;
      });
    });
    if (at === -1) return post.summary;
    var start = Math.max(0, at - 80);
    return (start ? "…" : "") + text.slice(start, start + 240).trim() + "…";
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(posts) {
    var header = document.querySelector(".page-header");
    if (!header) return;
    var title = header.querySelector("h1");
    if (title) title.textContent = "Search results for “" + query.slice(0, 80) + "”";
    header.querySelectorAll('input[name="q"]').forEach(function (input) {
      input.value = query;
    });
    var groups = parse(query);
    var results = posts
      .map(function (post) { return { post: post, score: groups.length ? score(post, groups) : 0 }; })
      .filter(function (result) { return result.score > 0; })
      .sort(function (a, b) { return b.score - a.score || (a.post.date < b.post.date ? 1 : -1); });

    var status = element("p", "search-count",
      results.length + " result" + (results.length === 1 ? "" : "s"));
    status.setAttribute("role", "status");
    var list = element("ol", "search-results");
    results.forEach(function (result) {
      var item = element("li", "search-result");
      var heading = element("h2", "post-card-title");
      var link = element("a", "", result.post.title);
      link.href = result.post.url;
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(element("p", "search-snippet", snippet(result.post, groups)));
      var when = element("time", "", result.post.date_label);
      when.setAttribute("datetime", result.post.date);
      var line = element("p", "post-meta");
      line.appendChild(when);
      item.appendChild(line);
      list.appendChild(item);
    });
    if (!results.length) {
      list.appendChild(element("li", "search-empty", "No posts match. Try fewer or different words."));
    }
    header.after(status, list);
  }

  fetch(meta.getAttribute("content"))
    .then(function (response) { return response.json(); })
    .then(function (index) { show(index.posts); })
    .catch(function () {
      var header = document.querySelector(".page-header");
      if (header) {
        header.after(element("p", "search-error", "The search index could not be loaded."));
      }
    });
})();
