// "Copy link" on a post: copies the post's URL to the clipboard (with js/clipboard.js, which the
// post page loads before this script). Without JavaScript, or if the copy is refused, the link
// simply points at the post, so it can still be copied from the browser's context menu.
(function () {
  "use strict";
  document.querySelectorAll("a[data-copy-url]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!window.siteClipboard) {
        return;
      }
      event.preventDefault();
      var label = link.textContent;
      window.siteClipboard.copy(link.dataset.copyUrl).then(
        function () {
          link.textContent = "Link copied";
          link.setAttribute("aria-live", "polite");
          setTimeout(function () { link.textContent = label; }, 2000);
        },
        function () {
          window.location.href = link.href;
        }
      );
    });
  });
})();
