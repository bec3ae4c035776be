/* The chart of accounts' form (templates/books/accounts.html): choosing another parent proposes
   its next free code, unless the accountant has typed a code of her own. */
(function () {
  "use strict";
  var parent = document.getElementById("parent");
  var code = document.getElementById("code");
  if (!parent || !code) { return; }
  var proposed = code.value;
  parent.addEventListener("change", function () {
    var option = parent.options[parent.selectedIndex];
    if (code.value === proposed || code.value === "") {
      proposed = option ? option.getAttribute("data-next") || "" : "";
      code.value = proposed;
    }
  });
})();
