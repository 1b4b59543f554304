// Media library admin: "Copy Markdown" puts an image's Markdown on the clipboard (with
// js/clipboard.js, which the admin's Media lists before this script).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy-markdown");
    if (!button) {
      return;
    }
    event.preventDefault();
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    window.siteClipboard.copy(button.dataset.markdown).then(
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
