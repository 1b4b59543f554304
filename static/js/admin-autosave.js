// Autosave for the post form: unsaved text is kept in localStorage as the writer types and offered
// back when the form is reopened. A successful save clears it: on submit the draft's key is noted
// in sessionStorage, and the next admin page that is not the same form with errors removes it.
(function () {
  "use strict";
  var PENDING = "blogsite:autosave:pending";
  var DELAY_MS = 500;

  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function settlePendingSave(currentKey) {
    var pending = sessionStorage.getItem(PENDING);
    if (!pending) return;
    sessionStorage.removeItem(PENDING);
    var refused = pending === currentKey && document.querySelector(".errornote");
    if (!refused) localStorage.removeItem(pending);
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
    settlePendingSave(key);
    if (!key) return;
    var form = tools.closest("form");
    var initial = snapshot(form);

    var draft = read(key);
    if (draft && draft.fields && differs(draft.fields, initial)) {
      offer(form, key, draft);
    } else if (draft) {
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
    form.addEventListener("submit", function () {
      save();
      sessionStorage.setItem(PENDING, key);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
