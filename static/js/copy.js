/* Copy buttons (progressive enhancement).
   - Every code block of a post (div.highlight pre, pre > code) gets a "Copy" button.
   - Any <button data-copy-target="#some-id"> copies the text of the element it names (the citation
     block uses this for its BibTeX); such buttons can ship with the hidden attribute, this script
     shows them.
   After a copy, the button reads "Copied" for two seconds; a polite live region announces it.
   The copying itself is js/clipboard.js, loaded before this script. */
(function () {
  "use strict";

  var status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function feedback(button, message) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = message;
    button.classList.add("is-done");
    status.textContent = message;
    window.clearTimeout(button._copyTimer);
    button._copyTimer = window.setTimeout(function () {
      button.textContent = original;
      button.classList.remove("is-done");
      status.textContent = "";
    }, 2000);
  }

  function wire(button, source) {
    button.addEventListener("click", function () {
      window.siteClipboard.copy(source().replace(/\n$/, "")).then(
        function () {
          feedback(button, "Copied");
        },
        function () {
          feedback(button, "Press Ctrl+C to copy");
        }
      );
    });
  }

  var blocks = [];
  document.querySelectorAll("div.highlight pre, pre > code").forEach(function (node) {
    var pre = node.tagName === "PRE" ? node : node.parentElement;
    if (blocks.indexOf(pre) === -1) {
      blocks.push(pre);
    }
  });
  blocks.forEach(function (pre, index) {
    var wrapper = document.createElement("div");
    wrapper.className = "code-block";
    pre.parentNode.insertBefore(wrapper, pre);
    wrapper.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code block " + (index + 1));
    wrapper.appendChild(button);
    wire(button, function () {
      return pre.innerText;
    });
  });

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var target = document.querySelector(button.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    wire(button, function () {
      return target.innerText;
    });
    button.hidden = false;
  });
})();
