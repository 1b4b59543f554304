// Tag suggestions in the admin: after each comma, the datalist offers the remaining tag names
// completed onto what is already typed. Progressive enhancement: without it, the browser still
// suggests names for the first tag.
"use strict";
(function () {
  function enhance(input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    const names = Array.from(list.options, (option) => option.value);
    function refresh() {
      const cut = input.value.lastIndexOf(",");
      const prefix = cut === -1 ? "" : input.value.slice(0, cut + 1).trimEnd() + " ";
      const typed = new Set(
        prefix.split(",").map((name) => name.trim().toLowerCase()).filter(Boolean)
      );
      list.replaceChildren(
        ...names
          .filter((name) => !typed.has(name.toLowerCase()))
          .map((name) => new Option("", prefix + name))
      );
    }
    input.addEventListener("input", refresh);
    refresh();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("datalist[data-tag-suggestions]").forEach(function (list) {
      const input = document.querySelector('input[list="' + list.id + '"]');
      if (input) {
        enhance(input);
      }
    });
  });
})();
