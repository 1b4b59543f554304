// Media library admin: "Copy Markdown" puts an image's Markdown on the clipboard.
(function () {
  "use strict";

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy-markdown");
    if (!button) {
      return;
    }
    event.preventDefault();
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copy(button.dataset.markdown).then(
      function () {
        button.textContent = "Copied";
      },
      function () {
        button.textContent = "Select and copy the text beside";
      }
    );
    window.setTimeout(function () {
      button.textContent = label;
    }, 2000);
  });
})();
