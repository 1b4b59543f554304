// "Copy" buttons of the "Cite as" block: copy the plain-text citation or the BibTeX entry.
// Without this script (or without the Clipboard API) the buttons stay hidden and the text can be
// selected by hand; where the API is refused, the text is selected for Ctrl+C.
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, message) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = message;
    window.setTimeout(function () {
      button.textContent = label;
    }, 2000);
  }

  document.querySelectorAll("button[data-cite-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.citeCopy);
    if (!source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim() + "\n";
      if (!navigator.clipboard) {
        selectText(source);
        say(button, "Selected: press Ctrl+C");
        return;
      }
      navigator.clipboard.writeText(text).then(
        function () {
          say(button, "Copied");
        },
        function () {
          selectText(source);
          say(button, "Selected: press Ctrl+C");
        }
      );
    });
  });
})();
