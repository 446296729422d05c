// 适老化: large text and high contrast, switched by two buttons and kept in this browser
// (localStorage) across pages and visits. Applied before the page paints: this file is
// loaded in <head>; the buttons are wired once the page has loaded.
(function () {
  "use strict";
  var root = document.documentElement, modes = ["large-text", "high-contrast"];
  function saved(mode) {
    try { return window.localStorage.getItem("eldercare." + mode) === "on"; }
    catch (e) { return false; }
  }
  modes.forEach(function (mode) { if (saved(mode)) { root.classList.add(mode); } });
  document.addEventListener("DOMContentLoaded", function () {
    modes.forEach(function (mode) {
      var button = document.getElementById("toggle-" + mode);
      if (!button) { return; }
      button.hidden = false;
      button.setAttribute("aria-pressed", root.classList.contains(mode) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = root.classList.toggle(mode);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        try { window.localStorage.setItem("eldercare." + mode, on ? "on" : "off"); }
        catch (e) { /* private mode: for this page only */ }
      });
    });
  });
})();
