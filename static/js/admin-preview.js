// Live preview for the post form: the server renders the Markdown with the site's pipeline.
// The form's title, summary and body are POSTed (debounced) to the admin preview endpoint; the
// answer's HTML document is shown in a sandboxed frame (no scripts run in it; same origin so the
// editor can scroll it and give it the site's theme) and its warnings listed beside it, each a
// button that selects the text it is about. Each rendered preview is announced to the editor
// (static/js/admin-editor.js) as a "livepreview:rendered" event on the body field.
(function () {
  "use strict";
  var DELAY_MS = 400;

  function start() {
    var tools = document.getElementById("writer-tools");
    var body = document.getElementById("id_body");
    if (!tools || !body) return;
    var form = body.form;
    var url = tools.dataset.previewUrl;
    var row = body.closest(".form-row") || body.parentNode;

    var pane = document.createElement("section");
    pane.className = "live-preview";
    pane.setAttribute("aria-label", "Live preview");
    var status = document.createElement("p");
    status.className = "live-preview-status";
    status.setAttribute("aria-live", "polite");
    var warnings = document.createElement("ul");
    warnings.className = "live-preview-warnings";
    var frame = document.createElement("iframe");
    frame.className = "live-preview-frame";
    frame.title = "Preview of the post as readers will see it";
    frame.setAttribute(
      "sandbox",
      "allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    );
    pane.appendChild(status);
    pane.appendChild(warnings);
    pane.appendChild(frame);
    row.classList.add("has-live-preview");
    row.appendChild(pane);

    var timer = null;
    var sequence = 0;

    function value(name) {
      var field = form.elements[name];
      return field ? field.value : "";
    }

    // Where in the source a warning points: its quoted key or label, a formula's TeX, or the
    // invisible character a save refuses.
    function locate(text) {
      var quoted = /"([^"]+)"/.exec(text);
      var needles = [];
      if (quoted) needles.push("@" + quoted[1], quoted[1]);
      var formula = /^Formula could not be rendered: (.+)$/.exec(text);
      if (formula) needles.push(formula[1]);
      var invisible = /^Body: Remove the invisible control character U\+([0-9A-F]{4})/.exec(text);
      if (invisible) needles.push(String.fromCharCode(parseInt(invisible[1], 16)));
      for (var i = 0; i < needles.length; i++) {
        var at = body.value.indexOf(needles[i]);
        if (at >= 0) return { start: at, end: at + needles[i].length };
      }
      return null;
    }

    function lineOf(offset) {
      return body.value.slice(0, offset).split("\n").length;
    }

    function jumpTo(range) {
      body.focus();
      body.setSelectionRange(range.start, range.end);
      var lineHeight = parseFloat(getComputedStyle(body).lineHeight) || 20;
      body.scrollTop = Math.max(0, (lineOf(range.start) - 3) * lineHeight);
      body.dispatchEvent(new Event("select", { bubbles: true }));
    }

    function showWarnings(list) {
      warnings.replaceChildren();
      list.forEach(function (text) {
        var item = document.createElement("li");
        var range = locate(text);
        if (range) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "warning-jump";
          button.textContent = "Line " + lineOf(range.start) + ": " + text;
          button.addEventListener("click", function () {
            var current = locate(text) || range;
            jumpTo(current);
          });
          item.appendChild(button);
        } else {
          item.textContent = text;
        }
        warnings.appendChild(item);
      });
    }

    // The site's theme as the reader's toggle (or the admin's, same key) chose it, set on the
    // preview's <html> before its first paint.
    function themed(html) {
      var theme = null;
      try {
        theme = localStorage.getItem("theme");
      } catch (error) {
        theme = null;
      }
      if (theme !== "light" && theme !== "dark") return html;
      return html.replace(/<html\b/, '<html data-theme="' + theme + '"');
    }

    frame.addEventListener("load", function () {
      body.dispatchEvent(new CustomEvent("livepreview:rendered", { bubbles: true }));
    });

    function refresh() {
      var mine = ++sequence;
      var data = new FormData();
      data.append("title", value("title"));
      data.append("summary", value("summary"));
      data.append("body", value("body"));
      status.textContent = "Rendering…";
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": value("csrfmiddlewaretoken") },
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (result) {
          if (mine !== sequence) return; // a newer request is on its way
          frame.srcdoc = themed(result.document);
          showWarnings(result.warnings);
          status.textContent =
            result.word_count + " words · " + result.reading_time + " min read" +
            (result.warnings.length ? " · " + result.warnings.length + " warning(s)" : "");
          pane.dataset.state = "ready";
        })
        .catch(function (error) {
          if (mine !== sequence) return;
          status.textContent = "Preview unavailable (" + error.message + "); your text is unaffected.";
          pane.dataset.state = "error";
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    }

    ["title", "summary", "body"].forEach(function (name) {
      var field = form.elements[name];
      if (field) field.addEventListener("input", schedule);
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
