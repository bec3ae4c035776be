/* Keys every desk page shares (desk/page.html). A refused form starts on the field in error.
   Tab leaves a date field for the next control,
   and Shift+Tab for the one before, as in every other field, instead of walking the date's own
   year, month and day (typed digits move through those by themselves). A page's own script that
   handles the key first (voucher_entry.js) is left to it. Without this script the page works
   as the browser makes it. */
(function () {
  "use strict";
  var FOCUSABLE = "input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
    "textarea:not([disabled]), button:not([disabled]), a[href], summary, " +
    "[tabindex]:not([tabindex='-1'])";

  function shown(el) {
    return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  // A refused form comes back from the server with the cursor nowhere, so that Tab went to the
  // header's links and 退出: it starts on the field in error, or on what says what was not done.
  function focusRefusal() {
    if (document.activeElement && document.activeElement !== document.body) { return; }
    var field = document.querySelector("main [aria-invalid=true]");
    if (field) { field.focus(); return; }
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusRefusal);
  } else {
    focusRefusal();
  }

  document.addEventListener("keydown", function (e) {
    var input = e.target;
    if (e.key !== "Tab" || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (!(input instanceof HTMLInputElement) || input.type !== "date") { return; }
    var all = Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), function (el) {
      return el === input || (el.tabIndex >= 0 && shown(el));
    });
    var to = all[all.indexOf(input) + (e.shiftKey ? -1 : 1)];
    if (!to) { return; }  // the last control: the browser takes focus on, out of the page
    e.preventDefault();
    to.focus();
  });
})();
