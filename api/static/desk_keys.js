/* Keys every desk page shares (desk/page.html). Tab leaves a date field for the next control,
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
