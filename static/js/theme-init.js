/* Runs synchronously in <head>, before the first paint.
   - Marks <html> with the "js" class so styles for script-enhanced parts (the TOC side panel)
     apply from the first paint, without a layout jump.
   - Applies the theme the reader chose with the toggle (localStorage "theme": "light" or "dark")
     as data-theme on <html>. With no choice stored, no attribute is set and the CSS follows the
     system setting (prefers-color-scheme). */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var theme = window.localStorage.getItem("theme");
    if (theme === "light" || theme === "dark") {
      root.setAttribute("data-theme", theme);
    }
  } catch (error) {
    /* Storage can be blocked (privacy settings); the system theme applies. */
  }
})();
