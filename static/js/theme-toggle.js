/* The light/dark toggle in the header (hidden until this script shows it).
   A click switches to the other theme and remembers it in localStorage; theme-init.js applies the
   remembered choice on the next page before the first paint. The button's label and its glyph
   (a crescent to switch to dark, a sun to switch to light) follow the theme in use. */
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.getElementById("theme-toggle");
  if (!button) {
    return;
  }
  var icon = button.querySelector(".theme-toggle-icon");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") {
      return chosen;
    }
    return systemDark.matches ? "dark" : "light";
  }

  function label() {
    var other = currentTheme() === "dark" ? "light" : "dark";
    button.setAttribute("aria-label", "Switch to " + other + " theme");
    button.setAttribute("title", "Switch to " + other + " theme");
    if (icon) {
      icon.setAttribute("data-icon", other === "dark" ? "\u263E" : "\u2600");
    }
  }

  button.addEventListener("click", function () {
    var next = currentTheme() === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try {
      window.localStorage.setItem("theme", next);
    } catch (error) {
      /* Not remembered, but applied for this page. */
    }
    label();
  });
  if (systemDark.addEventListener) {
    systemDark.addEventListener("change", label);
  }
  label();
  button.hidden = false;
})();
