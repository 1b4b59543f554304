/* The one clipboard helper: window.siteClipboard.copy(text) returns a Promise that resolves once
   the text is on the clipboard and rejects if the browser refused.
   It uses the async Clipboard API where the page may (a secure context) and, when that is missing
   or refuses, a selected off-screen textarea with document.execCommand("copy"). Call it from the
   click that asks for the copy: both ways need that user gesture.
   Load it before the scripts that use it (copy.js, share.js, admin_copy_markdown.js); with defer,
   scripts run in document order. */
(function () {
  "use strict";

  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    /* Fixed and off screen, so selecting it scrolls nothing. Set through the CSSOM, which the
       Content-Security-Policy allows (a style attribute it would not), so this needs no stylesheet:
       the admin pages do not load site.css. */
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "-9999px";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyBySelection(text);
      });
    }
    return copyBySelection(text);
  }

  window.siteClipboard = Object.freeze({ copy: copy });
})();
