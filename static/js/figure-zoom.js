/* Click to zoom a post's figures (progressive enhancement). In the stored HTML each figure's image
   is a link to the full image (a.figure-zoom), which works without JavaScript; with it, a click
   shows the full image over the page in a modal <dialog>, closed by Escape, the close button or a
   click anywhere on it. A click with a modifier key still opens the link as usual. */
(function () {
  "use strict";
  var links = document.querySelectorAll("a.figure-zoom");
  if (!links.length || typeof HTMLDialogElement !== "function") {
    return;
  }
  var dialog = document.createElement("dialog");
  dialog.className = "figure-dialog";
  dialog.setAttribute("aria-label", "Full-size image");
  var close = document.createElement("button");
  close.type = "button";
  close.className = "figure-dialog-close";
  close.textContent = "Close";
  var image = document.createElement("img");
  image.className = "figure-dialog-image";
  dialog.appendChild(close);
  dialog.appendChild(image);
  document.body.appendChild(dialog);

  dialog.addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
  });

  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      var thumbnail = link.querySelector("img");
      image.src = link.href;
      image.alt = thumbnail ? thumbnail.alt : "";
      dialog.showModal();
      close.focus();
    });
  });
})();
