/* Reading navigation for a post's table of contents (progressive enhancement).
   On wide screens (the same breakpoint as the side panel in site.css) the TOC is opened in its
   sticky side panel, and the entry of the section being read is marked with aria-current="location"
   as the reader scrolls; above the first heading (back at the top) no entry is marked. Without
   this script the plain collapsible TOC remains. */
(function () {
  "use strict";
  var toc = document.getElementById("toc");
  if (!toc) {
    return;
  }
  var wide = window.matchMedia("(min-width: 78rem)");

  function placePanel() {
    if (wide.matches) {
      toc.open = true;
    }
  }
  placePanel();
  if (wide.addEventListener) {
    wide.addEventListener("change", placePanel);
  }

  var links = Array.prototype.slice.call(toc.querySelectorAll('a[href^="#"]'));
  var entries = [];
  links.forEach(function (link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var heading = document.getElementById(id);
    if (heading) {
      entries.push({ link: link, heading: heading });
    }
  });
  if (!entries.length) {
    return;
  }

  var current = null;
  function mark(entry) {
    if (entry === current) {
      return;
    }
    if (current) {
      current.link.removeAttribute("aria-current");
    }
    current = entry;
    if (entry) {
      entry.link.setAttribute("aria-current", "location");
      if (wide.matches && toc.scrollHeight > toc.clientHeight) {
        entry.link.scrollIntoView({ block: "nearest" });
      }
    }
  }

  /* The section being read is the last heading that has passed the top fifth of the viewport. */
  function update() {
    var line = window.innerHeight * 0.2;
    var found = null;
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].heading.getBoundingClientRect().top <= line) {
        found = entries[i];
      } else {
        break;
      }
    }
    mark(found);
  }

  /* On every scroll (at most once a frame), not only when a heading crosses a line: a jump back
     to the top moves every heading from above the viewport to below it without crossing. */
  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
  }
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  window.addEventListener("hashchange", update);
  update();
})();
