/* Old links into a post (`#introduction`, `#fn:1`) keep working. The pipeline prefixes every id in
   a post with "c-" so writer content cannot take the page's own ids; a URL fragment that names no
   element but whose prefixed form does is followed to that element. */
(function () {
  "use strict";
  var PREFIX = "c-";

  function follow() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || id.indexOf(PREFIX) === 0 || document.getElementById(id)) {
      return;
    }
    if (document.getElementById(PREFIX + id)) {
      // A same-document navigation without a new history entry: the browser scrolls and :target
      // applies as if the link had named the prefixed id.
      window.location.replace("#" + PREFIX + window.location.hash.slice(1));
    }
  }
  // After load: the layout (fonts, images) is final, so the browser's scroll lands where it should.
  if (document.readyState === "complete") {
    follow();
  } else {
    window.addEventListener("load", follow);
  }
  window.addEventListener("hashchange", follow);
})();
