// Live preview for the post form: the server renders the Markdown with the site's pipeline.
// The form's title, summary and body are POSTed (debounced) to the admin preview endpoint; the
// answer's HTML document is shown in a sandboxed frame and its warnings listed beside it.
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
    frame.setAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
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

    function showWarnings(list) {
      warnings.replaceChildren();
      list.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        warnings.appendChild(item);
      });
    }

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
          frame.srcdoc = result.document;
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
