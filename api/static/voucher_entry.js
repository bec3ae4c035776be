/* Voucher entry (books/voucher_new.html), keyboard first. The form works without this script and
   the server checks everything again; this adds: an account picker that finds a leaf account by
   code, name or pinyin initials (glf → 管理费用); live debit and credit totals and their
   difference, with no submit while unbalanced; Tab/Enter across the grid (Tab leaves the date
   too, not walking its year, month and day); Ctrl+I adds a line;
   Ctrl+D copies the summary (or the memo above) into the line's memo; "=" fills the difference;
   Ctrl+Enter posts and opens a fresh voucher on the same date; Enter in a template's name saves
   it. Amounts are counted in fen. */
(function () {
  "use strict";
  var form = document.getElementById("voucher-form");
  if (!form) { return; }
  var accounts = JSON.parse(document.getElementById("voucher-accounts").textContent);
  var body = form.querySelector("#lines tbody");
  var buttons = [document.getElementById("post"), document.getElementById("post-next")];
  var AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

  function fen(text) {  // null when not an amount; 0 when blank
    text = ascii(text).replace(/,/g, "").trim();
    if (!text) { return 0; }
    var m = AMOUNT.exec(text);
    return m ? parseInt(m[1], 10) * 100 + parseInt((m[2] || "0").padEnd(2, "0"), 10) : null;
  }
  // A Chinese input method left on types 860。50 or １２００．００: read as 860.50 and 1200.00,
  // as the server reads them (api/books/voucher_forms.py _IME_AMOUNT).
  function ascii(text) {
    return text.replace(/[\uff10-\uff19]/g, function (d) {
      return String.fromCharCode(d.charCodeAt(0) - 0xfee0);
    }).replace(/[\uff0e\u3002]/g, ".").replace(/\uff0c/g, ",");
  }
  function yuan(n) {
    var whole = Math.floor(n / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return whole + "." + String(n % 100).padStart(2, "0");
  }
  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.line")); }
  function cell(row, name) { return row.querySelector("input[name$='-" + name + "']"); }

  function find(typed) {  // as api/books/account_picker.py find(): its own matches first
    var text = typed.trim().toLowerCase();
    if (!text) { return []; }
    var exact = accounts.filter(function (a) { return a.code === text || a.name === typed.trim(); });
    if (exact.length) { return exact; }
    var mine = accounts.filter(function (a) { return own(a, text); });
    // Its initials exactly (zjf: 折旧费) before them inside another's (cjzzyzjfbz), else in order.
    mine = mine.filter(function (a) { return a.initials === text; })
      .concat(mine.filter(function (a) { return a.initials !== text; }));
    return mine.concat(accounts.filter(function (a) {
      return !own(a, text) && ((a.above || "").indexOf(text) >= 0 ||
        (a.above_initials || "").split(" ").some(function (w) { return w && w.indexOf(text) === 0; }));
    }));
  }
  // An account's own code, name or initials (xj within kcxj, 库存现金), not its parent's.
  function own(a, typed) {
    var text = typed.trim().toLowerCase();
    return a.code.indexOf(text) === 0 || a.name.indexOf(text) >= 0 || a.initials.indexOf(text) === 0 ||
      (text.length >= 2 && a.initials.indexOf(text) > 0);
  }
  function nameOf(code) {
    for (var i = 0; i < accounts.length; i++) { if (accounts[i].code === code) { return accounts[i].name; } }
    return "";
  }

  // -- totals ------------------------------------------------------------------------------
  function totals() {
    var debit = 0, credit = 0, complete = 0, bad = false, unknown = false;
    rows().forEach(function (row) {
      var d = fen(cell(row, "debit").value), c = fen(cell(row, "credit").value);
      if (isUnknown(cell(row, "account"))) { unknown = true; }
      flag(cell(row, "debit"), d === null);
      flag(cell(row, "credit"), c === null);
      if (d === null || c === null) { bad = true; return; }
      debit += d; credit += c;
      if (cell(row, "account").value.trim() && (d > 0) !== (c > 0)) { complete += 1; }
    });
    return { debit: debit, credit: credit, complete: complete, bad: bad, unknown: unknown };
  }
  // Text in an account cell that names no account a posting may take (wxyz, 322): said at once,
  // beside the cell, not only by the server after 记账 — Enter has already moved the cursor on.
  function isUnknown(input) {
    var text = input.value.trim();
    return !!text && !nameOf(text.split(/\s+/)[0]) && find(text).length === 0;
  }
  function flag(input, wrong) {  // an amount that cannot be read is marked where it is
    if (wrong) {
      input.setAttribute("aria-invalid", "true");
      input.dataset.unreadable = "1";
    } else if (input.dataset.unreadable) {
      input.removeAttribute("aria-invalid");
      delete input.dataset.unreadable;
    }
  }
  function refresh() {
    var t = totals(), diff = Math.abs(t.debit - t.credit);
    document.getElementById("debit-total").textContent = yuan(t.debit);
    document.getElementById("credit-total").textContent = yuan(t.credit);
    var out = document.getElementById("difference");
    out.textContent = t.bad ? out.dataset.bad : t.unknown ? out.dataset.unknown
      : diff ? out.dataset.label.replace("%s", yuan(diff)) : (t.debit ? out.dataset.ok : "");
    out.className = diff || t.bad || t.unknown ? "unbalanced" : "";
    var ready = !t.bad && !t.unknown && !diff && t.debit > 0 && t.complete >= 2;
    buttons.forEach(function (b) { b.disabled = !ready; });
    return ready;
  }

  // -- the picker --------------------------------------------------------------------------
  var picker = document.createElement("ul");
  picker.className = "picker";
  picker.setAttribute("role", "listbox");
  picker.id = "account-picker";
  var choices = [], chosen = 0, pickingFor = null;

  // Several accounts that fit alike — found only through their parent (glf: 管理费用's
  // sub-accounts), or each by its own code or name (513: its five sub-accounts) — are a choice
  // for the accountant: none is highlighted, so Enter cannot post to the first one unseen (a
  // printer repair booked as 干部报酬); the arrow keys choose. One that fits by its own code,
  // name or initials among others found through a parent (zj: 折旧费 before 在建工程's) is taken.
  var owned = 0;
  function openPicker(input) {
    choices = find(input.value).slice(0, 8);
    owned = choices.filter(function (a) { return own(a, input.value); }).length;
    var text = input.value.trim().toLowerCase();
    var spelled = choices.filter(function (a) { return a.initials === text; }).length;
    // One that fits alone, or alone by its whole initials, is taken; several wait for a choice.
    chosen = choices.length === 1 || owned === 1 || spelled === 1 ? 0 : -1;
    pickingFor = input;
    picker.innerHTML = "";
    if (!choices.length) { closePicker(); return; }
    choices.forEach(function (a, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "pick-" + i;
      li.textContent = a.code + " " + a.name;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); chosen = i; pick(); });
      picker.appendChild(li);
    });
    if (chosen < 0) {  // say why Enter waits
      var hint = document.createElement("li");
      hint.className = "hint";
      hint.setAttribute("role", "presentation");
      var words = document.getElementById("difference").dataset;
      hint.textContent = owned ? words.chooseAny : words.choose;
      picker.insertBefore(hint, picker.firstChild);
    }
    input.parentNode.appendChild(picker);
    input.setAttribute("aria-controls", picker.id);
    input.setAttribute("aria-expanded", "true");
    mark();
  }
  function mark() {
    Array.prototype.forEach.call(picker.querySelectorAll("li[role=option]"), function (li, i) {
      li.setAttribute("aria-selected", i === chosen ? "true" : "false");
    });
    if (!pickingFor) { return; }
    if (chosen < 0) { pickingFor.removeAttribute("aria-activedescendant"); }
    else { pickingFor.setAttribute("aria-activedescendant", "pick-" + chosen); }
  }
  function closePicker() {
    if (picker.parentNode) { picker.parentNode.removeChild(picker); }
    if (pickingFor) { pickingFor.setAttribute("aria-expanded", "false"); }
    pickingFor = null; choices = [];
  }
  function pick() {  // the highlighted account into the cell; true if one was taken
    if (!pickingFor || !choices.length || chosen < 0) { return false; }
    var input = pickingFor, account = choices[chosen];
    input.value = account.code;
    showName(input);
    closePicker();
    refresh();
    return true;
  }
  function showName(input) {
    var span = input.parentNode.querySelector(".account-name");
    var unknown = isUnknown(input);
    if (span) {
      span.textContent = unknown ? document.getElementById("difference").dataset.unknown
        : nameOf(input.value.trim().split(/\s+/)[0]);
      span.classList.toggle("unknown", unknown);
    }
    if (unknown) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  // -- lines -------------------------------------------------------------------------------
  function addLine() {
    var last = rows()[rows().length - 1], row = last.cloneNode(true), n = rows().length + 1;
    row.querySelector("td.no").textContent = n;
    Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
      input.name = input.name.replace(/^line-\d+-/, "line-" + n + "-");
      input.id = input.name;
      input.value = "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      var label = input.getAttribute("aria-label");
      if (label) { input.setAttribute("aria-label", label.replace(/\d+/, n)); }
    });
    Array.prototype.forEach.call(row.querySelectorAll(".error"), function (e) { e.remove(); });
    row.querySelector(".account-name").textContent = "";
    body.appendChild(row);
    return row;
  }
  function copyDown(row) {
    var index = rows().indexOf(row), above = index > 0 ? cell(rows()[index - 1], "memo").value : "";
    cell(row, "memo").value = above || document.getElementById("summary").value;
  }
  function fillDifference(input) {
    var t = totals(), row = input.closest("tr"), side = input.name.endsWith("-debit") ? "debit" : "credit";
    var own = fen(input.value) || 0, other = side === "debit" ? t.credit : t.debit;
    var mine = (side === "debit" ? t.debit : t.credit) - own, need = other - mine;
    if (need > 0) { input.value = yuan(need).replace(/,/g, ""); cell(row, side === "debit" ? "credit" : "debit").value = ""; }
    refresh();
  }

  // -- keys --------------------------------------------------------------------------------
  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll(
      "#date, #summary, #attachments, #lines tbody input"));
  }
  function next(input) {
    var all = fields(), i = all.indexOf(input);
    if (i === all.length - 1) {
      var row = input.closest("tr");
      if (row && (cell(row, "account").value || cell(row, "debit").value || cell(row, "credit").value)) {
        cell(addLine(), "account").focus();
      } else if (refresh()) {
        buttons[0].focus();
      }
      return;
    }
    all[i + 1].focus();
    if (all[i + 1].select) { all[i + 1].select(); }
  }

  form.addEventListener("keydown", function (e) {
    var input = e.target;
    if (input.tagName !== "INPUT") { return; }
    var row = input.closest("tr.line");
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      pick();
      if (refresh()) { form.requestSubmit(buttons[1]); }
      return;
    }
    if (pickingFor === input) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        chosen = chosen < 0 ? (e.key === "ArrowDown" ? 0 : choices.length - 1)
          : (chosen + (e.key === "ArrowDown" ? 1 : choices.length - 1)) % choices.length;
        mark();
        return;
      }
      if (e.key === "Escape") { closePicker(); return; }
      if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey && pick()) {
        if (e.key === "Enter") { e.preventDefault(); next(input); }
        return;
      }
      if (e.key === "Enter" && chosen < 0) { e.preventDefault(); return; }  // choose first
    }
    if (e.key === "Tab" && !e.shiftKey && input.id === "date") {
      // Tab leaves the date for the summary, as the keys hint says, instead of walking the
      // date's own year, month and day (typed digits move through those by themselves).
      e.preventDefault();
      next(input);
      return;
    }
    if (e.key === "Enter" && input.id === "template_name") {
      // Enter in the template's name saves the template: the walk to the next field would
      // land on the date, and the form's default button (记账) is disabled without amounts.
      e.preventDefault();
      form.requestSubmit(form.querySelector(".save-template button[formaction]"));
      return;
    }
    if (e.key === "Enter" && input.type !== "submit") { e.preventDefault(); next(input); return; }
    if (row && e.ctrlKey && (e.key === "i" || e.key === "I")) {
      e.preventDefault();
      cell(addLine(), "account").focus();
      return;
    }
    if (row && e.ctrlKey && (e.key === "d" || e.key === "D")) {
      e.preventDefault();
      copyDown(row);
      cell(row, "memo").focus();
      return;
    }
    if (row && e.key === "=" && /-(debit|credit)$/.test(input.name)) {
      e.preventDefault();
      fillDifference(input);
    }
  });
  form.addEventListener("input", function (e) {
    var input = e.target;
    if (/-account$/.test(input.name)) { openPicker(input); showName(input); }
    refresh();
  });
  form.addEventListener("focusout", function (e) {
    if (e.target === pickingFor) { setTimeout(closePicker, 150); }
  });
  form.addEventListener("submit", function (e) {
    var add = e.submitter && e.submitter.id === "add-line";
    if (add) { e.preventDefault(); cell(addLine(), "account").focus(); return; }
    if (e.submitter && e.submitter.getAttribute("formaction")) { return; }  // save a template
    if (!refresh()) { e.preventDefault(); }
  });

  // The datalist serves the page without the script; the picker replaces it here.
  Array.prototype.forEach.call(form.querySelectorAll("input[list]"), function (input) {
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
  });
  document.getElementById("keys").hidden = false;
  refresh();
}());
