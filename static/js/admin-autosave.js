// Autosave for the post form: unsaved text is kept in localStorage as the writer types and offered
// back when the form is reopened. Only a save the server confirmed clears it: on submit the form
// sends a random save id (noted, with the draft's key, in sessionStorage), and the draft is removed
// only when the next admin page carries that id back (<meta name="blogsite-autosave-confirmed">,
// see posts/writing/autosave.py). An error page (503, 500, 413, a timeout) never does.
// A save larger than the server accepts (<meta name="blogsite-request-limit">) is not sent at all:
// the form shows an error and keeps the text.
(function () {
  "use strict";
  var PENDING = "blogsite:autosave:pending";
  var SAVE_ID_FIELD = "autosave_save_id";
  var DELAY_MS = 500;

  function read(key, storage) {
    try {
      return JSON.parse((storage || localStorage).getItem(key));
    } catch (error) {
      return null;
    }
  }

  function settlePendingSave() {
    var pending = read(PENDING, sessionStorage);
    sessionStorage.removeItem(PENDING);
    var confirmation = document.querySelector('meta[name="blogsite-autosave-confirmed"]');
    if (pending && pending.key && pending.saveId && confirmation) {
      if (confirmation.content === pending.saveId) localStorage.removeItem(pending.key);
    }
  }

  function newSaveId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  function sendSaveId(form) {
    var field = form.elements[SAVE_ID_FIELD];
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = SAVE_ID_FIELD;
      form.append(field);
    }
    field.value = newSaveId();
    return field.value;
  }

  // The size of the body this form would send (urlencoded, as the server counts it), when it is
  // over the server's limit; 0 when it fits or cannot be told.
  function oversize(form) {
    var meta = document.querySelector('meta[name="blogsite-request-limit"]');
    var limit = meta ? Number(meta.content) : 0;
    if (!limit) return 0;
    try {
      var size = new Blob([new URLSearchParams(new FormData(form)).toString()]).size;
      return size > limit ? size : 0;
    } catch (error) {
      return 0;
    }
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function refuseOversize(form, size) {
    var limit = Number(document.querySelector('meta[name="blogsite-request-limit"]').content);
    var note = form.querySelector(".autosave-too-large");
    if (!note) {
      note = document.createElement("p");
      note.className = "errornote autosave-too-large";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent =
      "This save would be " + megabytes(size) + "; the site accepts at most " +
      megabytes(limit) + " in one save. Nothing was sent and your text is still here. Move " +
      "very large inline figures or tables into uploaded files, then save again.";
    note.scrollIntoView({ block: "center" });
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === "loaded_version") {
        return false;
      }
      if (field.tagName === "TEXTAREA" || field.tagName === "SELECT") return true;
      return field.tagName === "INPUT" && /^(text|url|number|date|time|search)$/.test(field.type);
    });
  }

  function snapshot(form) {
    var values = {};
    fieldsOf(form).forEach(function (field) {
      values[field.name] = field.value;
    });
    return values;
  }

  function differs(saved, current) {
    return Object.keys(saved).some(function (name) {
      return name in current && saved[name] !== current[name];
    });
  }

  function when(timestamp) {
    var date = new Date(timestamp);
    var time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return date.toDateString() === new Date().toDateString()
      ? time
      : date.toLocaleDateString() + " " + time;
  }

  function offer(form, key, draft) {
    var box = document.createElement("div");
    box.className = "autosave-offer";
    box.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = "Restore unsaved changes from " + when(draft.savedAt) + "?";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = "Restore";
    restore.className = "autosave-restore";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = "Discard";
    discard.className = "autosave-discard";
    box.append(text, " ", restore, " ", discard);
    form.insertBefore(box, form.firstChild);

    restore.addEventListener("click", function () {
      Object.keys(draft.fields).forEach(function (name) {
        var field = form.elements[name];
        if (field && typeof field.value === "string" && field.value !== draft.fields[name]) {
          field.value = draft.fields[name];
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      box.remove();
    });
    discard.addEventListener("click", function () {
      localStorage.removeItem(key);
      box.remove();
    });
  }

  function start() {
    var tools = document.getElementById("writer-tools");
    var key = tools ? tools.dataset.autosaveKey : null;
    settlePendingSave();
    if (!key) return;
    var form = tools.closest("form");
    var initial = snapshot(form);
    // A refused form shows the writer's text, not the stored one: its copy must stay.
    var refused = document.querySelector(".errornote");

    var draft = read(key);
    if (draft && draft.fields && differs(draft.fields, initial)) {
      offer(form, key, draft);
    } else if (draft && !refused) {
      localStorage.removeItem(key);
    }

    var timer = null;
    function save() {
      clearTimeout(timer);
      var current = snapshot(form);
      if (differs(current, initial)) {
        localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: current }));
      }
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    });
    window.addEventListener("pagehide", save);
    form.addEventListener("submit", function (event) {
      save();
      var size = oversize(form);
      if (size) {
        event.preventDefault();
        refuseOversize(form, size);
        return;
      }
      sessionStorage.setItem(PENDING, JSON.stringify({ key: key, saveId: sendSaveId(form) }));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
