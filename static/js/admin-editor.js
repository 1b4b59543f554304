// The writing desk around the post body: the textarea and the live preview (admin-preview.js)
// side by side at the page's width, with
//  - a view switch: Split, Source (focus on writing) and Preview (focus on reading); on a narrow
//    screen Split is not offered and the switch is a pair of tabs;
//  - the preview following the block being edited, and the source's scrolling;
//  - keys: Ctrl/Cmd+S saves and stays on the post ("Save and continue editing"),
//    Ctrl/Cmd+B bold, Ctrl/Cmd+I italic, Ctrl/Cmd+K link, Tab and Shift+Tab indent inside a code
//    block (elsewhere Tab moves the focus as usual);
//  - completion: "[@" offers the bibliography's keys, "@fig:" the figure labels of the text;
//  - images in place: paste, drop or the "Insert image" button upload the file to the media
//    library (admin JSON endpoint, the library's own checks), ask for its alt text and insert its
//    Markdown at the cursor.
// Without JavaScript the form is the plain admin form; this script only rearranges and adds.
(function () {
  "use strict";

  var NARROW = window.matchMedia("(max-width: 1024px)");
  var MODE_KEY = "blogsite:editor:mode";

  function start() {
    var tools = document.getElementById("writer-tools");
    var body = document.getElementById("id_body");
    if (!tools || !body) return;
    var form = body.form;
    var row = body.closest(".form-row") || body.parentNode;
    var pane = row.querySelector(".live-preview");
    var frame = pane ? pane.querySelector(".live-preview-frame") : null;

    // ---- Layout ---------------------------------------------------------------------------
    var editor = document.createElement("div");
    editor.className = "editor";
    var toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Editor");
    var panes = document.createElement("div");
    panes.className = "editor-panes";
    body.parentNode.insertBefore(editor, body);
    editor.appendChild(toolbar);
    editor.appendChild(panes);
    panes.appendChild(body);
    if (pane) panes.appendChild(pane);
    row.classList.remove("has-live-preview");
    row.classList.add("has-editor");
    body.setAttribute("spellcheck", "true");

    function button(label, title, className) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = label;
      element.title = title;
      element.className = className;
      return element;
    }

    var views = document.createElement("div");
    views.className = "editor-views";
    views.setAttribute("role", "group");
    views.setAttribute("aria-label", "View");
    var modeButtons = {};
    [
      ["split", "Split", "Source and preview side by side"],
      ["source", "Source", "Only the source: focus on writing"],
      ["preview", "Preview", "Only the preview: focus on reading"],
    ].forEach(function (spec) {
      var element = button(spec[1], spec[2], "editor-view editor-view-" + spec[0]);
      element.dataset.mode = spec[0];
      element.addEventListener("click", function () {
        setMode(spec[0], true);
      });
      modeButtons[spec[0]] = element;
      views.appendChild(element);
    });

    var format = document.createElement("div");
    format.className = "editor-format";
    format.setAttribute("role", "group");
    format.setAttribute("aria-label", "Format");
    var boldButton = button("B", "Bold (Ctrl+B)", "editor-bold");
    var italicButton = button("I", "Italic (Ctrl+I)", "editor-italic");
    var linkButton = button("Link", "Link (Ctrl+K)", "editor-link");
    var imageButton = button("Insert image…", "Upload an image and insert it here", "editor-image");
    var saveButton = button("Save and stay", "Save and stay on this post (Ctrl+S)", "editor-save");
    format.append(boldButton, italicButton, linkButton, imageButton, saveButton);
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = tools.dataset.uploadAccept || "image/*";
    picker.hidden = true;
    picker.className = "editor-image-picker";
    format.appendChild(picker);
    toolbar.append(views, format);
    if (pane) {
      var status = pane.querySelector(".live-preview-status");
      if (status) toolbar.appendChild(status);
    }

    var mode = "split";
    function setMode(next, remember) {
      if (NARROW.matches && next === "split") next = "source";
      if (!pane) next = "source";
      mode = next;
      editor.dataset.mode = next;
      Object.keys(modeButtons).forEach(function (name) {
        modeButtons[name].setAttribute("aria-pressed", String(name === next));
      });
      if (remember) {
        try {
          localStorage.setItem(MODE_KEY, next);
        } catch (error) {
          /* storage blocked: the choice lasts for this page */
        }
      }
      if (next === "split") followCaret();
    }
    var stored = null;
    try {
      stored = localStorage.getItem(MODE_KEY);
    } catch (error) {
      stored = null;
    }
    setMode(stored in modeButtons ? stored : "split", false);
    NARROW.addEventListener("change", function () {
      setMode(mode === "source" || mode === "preview" ? mode : "split", false);
      if (!NARROW.matches && mode === "source" && stored !== "source") setMode("split", false);
    });

    // ---- Editing helpers ------------------------------------------------------------------
    function replaceSelection(text, selectFrom, selectTo) {
      var start = body.selectionStart;
      body.focus();
      body.setRangeText(text, body.selectionStart, body.selectionEnd, "end");
      if (selectFrom !== undefined) {
        body.setSelectionRange(start + selectFrom, start + selectTo);
      }
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function wrap(marker, placeholder) {
      var selected = body.value.slice(body.selectionStart, body.selectionEnd);
      var inner = selected || placeholder;
      replaceSelection(
        marker + inner + marker,
        marker.length,
        marker.length + inner.length
      );
    }

    function link() {
      var selected = body.value.slice(body.selectionStart, body.selectionEnd);
      var text = selected || "link text";
      var url = "https://";
      var markdown = "[" + text + "](" + url + ")";
      if (selected) {
        replaceSelection(markdown, text.length + 3, text.length + 3 + url.length);
      } else {
        replaceSelection(markdown, 1, 1 + text.length);
      }
    }

    function lineStart(offset) {
      return body.value.lastIndexOf("\n", offset - 1) + 1;
    }

    // Inside a fenced code block: an odd number of fence lines before the cursor.
    function inCode(offset) {
      var before = body.value.slice(0, lineStart(offset));
      var fences = before.match(/^ {0,3}(```|~~~)/gm);
      return fences !== null && fences.length % 2 === 1;
    }

    function indent(outdent) {
      var start = lineStart(body.selectionStart);
      var end = body.selectionEnd;
      if (!outdent && body.selectionStart === end) {
        replaceSelection("    ");
        return;
      }
      var block = body.value.slice(start, end);
      var changed = block.replace(/^.*$/gm, function (line) {
        if (!outdent) return line === "" ? line : "    " + line;
        return line.replace(/^( {1,4}|\t)/, "");
      });
      body.setSelectionRange(start, end);
      body.setRangeText(changed, start, end, "select");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }

    // As if "Save and continue editing" were clicked (the admin then shows the post again).
    function saveAndStay() {
      var submitter = form.querySelector("[type=submit][name=_continue]");
      if (submitter && form.requestSubmit) {
        form.requestSubmit(submitter);
        return;
      }
      var keep = document.createElement("input");
      keep.type = "hidden";
      keep.name = "_continue";
      keep.value = "1";
      form.appendChild(keep);
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    boldButton.addEventListener("click", function () {
      wrap("**", "bold text");
    });
    italicButton.addEventListener("click", function () {
      wrap("_", "italic text");
    });
    linkButton.addEventListener("click", link);
    saveButton.addEventListener("click", saveAndStay);

    // Ctrl/Cmd+S anywhere on the form saves; the formatting keys act in the body.
    document.addEventListener("keydown", function (event) {
      var command = event.ctrlKey || event.metaKey;
      if (command && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        saveAndStay();
      }
    });

    body.addEventListener("keydown", function (event) {
      if (completion.open && completion.key(event)) return;
      var command = event.ctrlKey || event.metaKey;
      if (command && !event.altKey && !event.shiftKey) {
        var key = event.key.toLowerCase();
        if (key === "b") {
          event.preventDefault();
          wrap("**", "bold text");
        } else if (key === "i") {
          event.preventDefault();
          wrap("_", "italic text");
        } else if (key === "k") {
          event.preventDefault();
          link();
        }
      } else if (event.key === "Tab" && !command && !event.altKey) {
        if (inCode(body.selectionStart)) {
          event.preventDefault();
          indent(event.shiftKey);
        }
      }
    });

    // ---- The preview follows the source ---------------------------------------------------
    // Source blocks: lines that start a block (after a blank line, headings, fences, display
    // math), skipping footnote and link definitions, which do not appear in place.
    function sourceBlocks(text) {
      var lines = text.split("\n");
      var blocks = [];
      var fence = null;
      var math = false;
      var afterBlank = true;
      for (var i = 0; i < lines.length; i++) {
        var line = lines[i];
        var trimmed = line.trim();
        if (fence) {
          if (trimmed.indexOf(fence) === 0 && trimmed.replace(/[`~]/g, "") === "") fence = null;
          continue;
        }
        if (math) {
          if (trimmed.slice(-2) === "$$") math = false;
          continue;
        }
        if (trimmed === "") {
          afterBlank = true;
          continue;
        }
        var heading = /^#{1,6}\s/.test(line);
        var opensFence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
        if (afterBlank || heading || opensFence) {
          if (!/^ {0,3}\[[^\]]+\]:/.test(line)) {
            blocks.push({ line: i, heading: heading });
          }
        }
        if (opensFence) fence = opensFence[1];
        else if (trimmed.indexOf("$$") === 0 && (trimmed.length === 2 || trimmed.slice(-2) !== "$$")) {
          math = true;
        }
        afterBlank = heading;
      }
      return blocks;
    }

    function previewBlocks() {
      var doc = frame && frame.contentDocument;
      var container = doc && doc.querySelector(".post-body");
      if (!container) return null;
      var elements = Array.prototype.filter.call(container.children, function (element) {
        return !element.matches(".footnote, section.references, hr");
      });
      return { doc: doc, elements: elements };
    }

    // A hidden copy of the textarea with the same text metrics: where offsets land, in pixels
    // from the top of the text (wrapped lines included).
    function measure(offsets) {
      var mirror = document.createElement("div");
      var style = getComputedStyle(body);
      [
        "fontFamily",
        "fontSize",
        "fontWeight",
        "lineHeight",
        "letterSpacing",
        "paddingTop",
        "paddingLeft",
        "paddingRight",
        "borderTopWidth",
        "borderLeftWidth",
        "boxSizing",
        "tabSize",
      ].forEach(function (name) {
        mirror.style[name] = style[name];
      });
      mirror.style.position = "absolute";
      mirror.style.top = "0";
      mirror.style.left = "-9999px";
      mirror.style.visibility = "hidden";
      mirror.style.whiteSpace = "pre-wrap";
      mirror.style.overflowWrap = "break-word";
      mirror.style.width = body.clientWidth + "px";
      var text = body.value;
      var markers = [];
      var last = 0;
      offsets.forEach(function (offset) {
        mirror.appendChild(document.createTextNode(text.slice(last, offset)));
        var marker = document.createElement("span");
        marker.textContent = "\u200b";
        mirror.appendChild(marker);
        markers.push(marker);
        last = offset;
      });
      mirror.appendChild(document.createTextNode(text.slice(last) + "\u200b"));
      document.body.appendChild(mirror);
      var points = markers.map(function (marker) {
        return { left: marker.offsetLeft, top: marker.offsetTop, height: marker.offsetHeight };
      });
      var height = mirror.scrollHeight;
      document.body.removeChild(mirror);
      return { points: points, height: height };
    }

    function lineOffsets(text) {
      var offsets = [0];
      for (var i = 0; i < text.length; i++) if (text.charAt(i) === "\n") offsets.push(i + 1);
      return offsets;
    }

    // Pairs (y in the source, y in the preview): headings always (they match one to one); inside
    // a section every block when the section has as many blocks in both.
    var cached = null;
    function anchors() {
      var preview = previewBlocks();
      if (!preview) return null;
      var scroll = preview.doc.scrollingElement;
      if (cached && cached.text === body.value && cached.width === body.clientWidth &&
          cached.doc === preview.doc) {
        return cached;
      }
      var source = sourceBlocks(body.value);
      var sourceSections = [[]];
      source.forEach(function (block) {
        if (block.heading) sourceSections.push([block]);
        else sourceSections[sourceSections.length - 1].push(block);
      });
      var previewSections = [[]];
      preview.elements.forEach(function (element) {
        if (/^H[1-6]$/.test(element.tagName)) previewSections.push([element]);
        else previewSections[previewSections.length - 1].push(element);
      });
      var offset = scroll.scrollTop;
      var matched = [];
      if (sourceSections.length === previewSections.length) {
        sourceSections.forEach(function (section, index) {
          var elements = previewSections[index];
          var all = section.length === elements.length;
          section.forEach(function (block, n) {
            if (all || (n === 0 && block.heading)) {
              matched.push({
                line: block.line,
                py: elements[n].getBoundingClientRect().top + offset,
              });
            }
          });
        });
      }
      var starts = lineOffsets(body.value);
      var measured = measure(
        matched.map(function (pair) {
          return starts[pair.line];
        })
      );
      var pairs = [{ sy: 0, py: 0 }];
      matched.forEach(function (pair, n) {
        pairs.push({ sy: measured.points[n].top, py: pair.py });
      });
      pairs.push({ sy: measured.height, py: scroll.scrollHeight });
      cached = {
        text: body.value,
        width: body.clientWidth,
        doc: preview.doc,
        pairs: pairs,
        scroll: scroll,
      };
      return cached;
    }

    function previewY(sy, found) {
      var pairs = found.pairs;
      for (var i = 1; i < pairs.length; i++) {
        if (sy < pairs[i].sy || i === pairs.length - 1) {
          var a = pairs[i - 1];
          var b = pairs[i];
          var span = Math.max(1, b.sy - a.sy);
          return a.py + ((b.py - a.py) * Math.min(1, Math.max(0, sy - a.sy))) / span;
        }
      }
      return 0;
    }

    // Align the preview so that source height `sy` sits at the same height in the preview as it
    // does on screen in the source (`screenY` below the textarea's top).
    function alignPreview(sy, screenY) {
      if (mode !== "split" || !frame) return;
      var found = anchors();
      if (!found) return;
      found.scroll.scrollTop = Math.max(0, previewY(sy, found) - screenY);
    }

    // While the writer is in the text and the caret is in view, the caret's block leads (the
    // browser scrolls to keep the caret visible as one types); otherwise the top of the view.
    function follow() {
      if (document.activeElement === body) {
        var caret = measure([body.selectionStart]).points[0].top;
        var screenY = caret - body.scrollTop;
        if (screenY >= 0 && screenY <= body.clientHeight) {
          alignPreview(caret, screenY);
          return;
        }
      }
      alignPreview(body.scrollTop, 0);
    }

    var pending = false;
    function followCaret() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        follow();
      });
    }
    var followScroll = followCaret;

    body.addEventListener("scroll", followScroll);
    body.addEventListener("keyup", function (event) {
      if (/^(Arrow|Page|Home|End|Enter)/.test(event.key)) followCaret();
    });
    body.addEventListener("click", followCaret);
    body.addEventListener("livepreview:rendered", followCaret);

    // ---- Completion: [@key and @fig:label -------------------------------------------------
    var references = [];
    if (tools.dataset.referencesUrl) {
      fetch(tools.dataset.referencesUrl, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { references: [] };
        })
        .then(function (data) {
          references = data.references || [];
        })
        .catch(function () {
          references = [];
        });
    }

    function figureLabels() {
      var labels = [];
      var pattern = /\{\s*#fig:([A-Za-z0-9][\w-]*)\s*\}/g;
      var match;
      while ((match = pattern.exec(body.value)) !== null) {
        if (labels.indexOf(match[1]) < 0) labels.push(match[1]);
      }
      return labels.map(function (label) {
        return { key: label, title: "Figure label" };
      });
    }

    var completion = (function () {
      var list = document.createElement("ul");
      list.className = "editor-completion";
      list.id = "editor-completion";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Suggestions");
      list.hidden = true;
      editor.appendChild(list);
      body.setAttribute("aria-autocomplete", "list");
      body.setAttribute("aria-controls", list.id);
      var state = { open: false, items: [], active: 0, from: 0 };

      function caretPoint() {
        var point = measure([body.selectionStart]).points[0];
        return { left: point.left, top: point.top + point.height };
      }

      function close() {
        state.open = false;
        list.hidden = true;
        body.removeAttribute("aria-activedescendant");
      }

      function highlight(index) {
        state.active = index;
        Array.prototype.forEach.call(list.children, function (item, n) {
          item.setAttribute("aria-selected", String(n === index));
          if (n === index) {
            body.setAttribute("aria-activedescendant", item.id);
            item.scrollIntoView({ block: "nearest" });
          }
        });
      }

      function accept(index) {
        var item = state.items[index];
        if (!item) return close();
        body.setSelectionRange(state.from, body.selectionStart);
        replaceSelection(item.key + state.suffix);
        close();
      }

      function show(items, from, suffix) {
        state.items = items.slice(0, 12);
        state.from = from;
        state.suffix = suffix;
        if (!state.items.length) return close();
        list.replaceChildren();
        state.items.forEach(function (item, n) {
          var option = document.createElement("li");
          option.id = "editor-completion-" + n;
          option.setAttribute("role", "option");
          var key = document.createElement("code");
          key.textContent = item.key;
          var title = document.createElement("span");
          title.textContent = item.title || "";
          option.append(key, " ", title);
          option.addEventListener("mousedown", function (event) {
            event.preventDefault();
            accept(n);
          });
          list.appendChild(option);
        });
        var point = caretPoint();
        var box = body.getBoundingClientRect();
        var host = editor.getBoundingClientRect();
        list.style.left = Math.min(box.width - 40, point.left) + box.left - host.left + "px";
        list.style.top = point.top - body.scrollTop + box.top - host.top + 4 + "px";
        list.hidden = false;
        state.open = true;
        highlight(0);
      }

      function matching(candidates, typed) {
        var lower = typed.toLowerCase();
        return candidates.filter(function (item) {
          return item.key.toLowerCase().indexOf(lower) === 0;
        });
      }

      function update() {
        var caret = body.selectionStart;
        if (caret !== body.selectionEnd) return close();
        var before = body.value.slice(Math.max(0, caret - 120), caret);
        var cite = /\[(?:[^\]\n]*;\s*)?-?@([\w:.\-]*)$/.exec(before);
        var figure = /(?:^|[^\w@.\\])@fig:([\w-]*)$/.exec(before);
        if (figure) {
          show(matching(figureLabels(), figure[1]), caret - figure[1].length, "");
        } else if (cite) {
          var closes = body.value.charAt(caret) === "]" ? "" : "]";
          show(matching(references, cite[1]), caret - cite[1].length, closes);
        } else {
          close();
        }
      }

      function key(event) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          var step = event.key === "ArrowDown" ? 1 : -1;
          highlight((state.active + step + state.items.length) % state.items.length);
          return true;
        }
        if (event.key === "Enter" || event.key === "Tab") {
          event.preventDefault();
          accept(state.active);
          return true;
        }
        if (event.key === "Escape") {
          event.preventDefault();
          close();
          return true;
        }
        return false;
      }

      body.addEventListener("input", update);
      body.addEventListener("blur", close);
      return {
        get open() {
          return state.open;
        },
        key: key,
      };
    })();

    // ---- Images in place ------------------------------------------------------------------
    var uploadUrl = tools.dataset.uploadUrl;
    var dialog = document.createElement("dialog");
    dialog.className = "editor-alt-dialog";
    dialog.innerHTML =
      '<form method="dialog">' +
      '<p class="editor-alt-file"></p>' +
      '<label>Alt text (what the image shows, for readers who cannot see it)' +
      '<input type="text" name="alt" required maxlength="300"></label>' +
      '<label>Caption (optional; makes it a numbered figure)' +
      '<input type="text" name="caption"></label>' +
      '<p class="editor-alt-buttons"><button value="upload" class="default">Upload and insert</button> ' +
      '<button value="cancel" formnovalidate>Cancel</button></p>' +
      "</form>";
    document.body.appendChild(dialog); // outside the post's form: forms do not nest
    var uploadStatus = document.createElement("p");
    uploadStatus.className = "editor-upload-status";
    uploadStatus.setAttribute("role", "status");
    toolbar.appendChild(uploadStatus);

    function askAlt(file) {
      return new Promise(function (resolve) {
        var altForm = dialog.querySelector("form");
        altForm.reset();
        dialog.querySelector(".editor-alt-file").textContent = "Upload " + (file.name || "image");
        dialog.returnValue = "";
        dialog.addEventListener(
          "close",
          function () {
            if (dialog.returnValue !== "upload") return resolve(null);
            resolve({ alt: altForm.elements.alt.value, caption: altForm.elements.caption.value });
          },
          { once: true }
        );
        dialog.showModal();
        altForm.elements.alt.focus();
      });
    }

    function upload(file) {
      if (!uploadUrl || !file) return;
      var at = { start: body.selectionStart, end: body.selectionEnd };
      askAlt(file).then(function (answer) {
        if (!answer) {
          body.focus();
          return;
        }
        var data = new FormData();
        data.append("file", file, file.name || "pasted-image.png");
        data.append("alt", answer.alt);
        data.append("caption", answer.caption);
        uploadStatus.textContent = "Uploading " + (file.name || "image") + "…";
        editor.dataset.upload = "busy";
        fetch(uploadUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
        })
          .then(function (response) {
            return response.json().then(function (result) {
              if (!response.ok) throw new Error(result.error || "HTTP " + response.status);
              return result;
            });
          })
          .then(function (result) {
            var before = body.value.slice(0, at.start);
            var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
            var after = body.value.slice(at.end);
            var trail = /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
            body.focus();
            body.setSelectionRange(at.start, at.end);
            replaceSelection(lead + result.markdown + trail);
            uploadStatus.textContent = "Inserted " + result.markdown;
            editor.dataset.upload = "done";
          })
          .catch(function (error) {
            uploadStatus.textContent = "Not uploaded: " + error.message;
            editor.dataset.upload = "error";
          });
      });
    }

    function imageFrom(transfer) {
      if (!transfer || !transfer.files) return null;
      return (
        Array.prototype.find.call(transfer.files, function (file) {
          return /^image\//.test(file.type);
        }) || null
      );
    }

    imageButton.addEventListener("click", function () {
      picker.click();
    });
    picker.addEventListener("change", function () {
      var file = picker.files[0];
      picker.value = "";
      upload(file);
    });
    body.addEventListener("paste", function (event) {
      var file = imageFrom(event.clipboardData);
      if (file) {
        event.preventDefault();
        upload(file);
      }
    });
    body.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
        editor.dataset.drop = "over";
      }
    });
    body.addEventListener("dragleave", function () {
      delete editor.dataset.drop;
    });
    body.addEventListener("drop", function (event) {
      delete editor.dataset.drop;
      var file = imageFrom(event.dataTransfer);
      if (!file) return;
      event.preventDefault();
      if (typeof document.caretPositionFromPoint !== "function") body.focus();
      upload(file);
    });

    editor.dataset.ready = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
