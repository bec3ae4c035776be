// The draft disclosure's title follows its kind and period while it is the proposed one
// (api/templates/disclosure/new.html), as the server does on submit: a title the accountant
// wrote is left alone. Without this script the server still replaces an untouched title.
(function () {
  "use strict";
  var form = document.querySelector("form.draft");
  if (!form) { return; }
  var titles = JSON.parse(form.getAttribute("data-titles") || "{}");
  var kind = form.elements.kind, period = form.elements.period;
  var title = form.elements.title, proposed = form.elements.title_default;
  var plan = form.elements.distribution, stage = form.elements.stage;

  // Mirrors default_title in api/disclosure/desk_forms.py: 2026年10月…, 2026年第3季度…, 2026年度…
  function standard() {
    var end = titles[kind.value + ":" + stage.value] || titles[kind.value];
    var p = period.value.trim(), m;
    if (!end) { return ""; }
    if ((m = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(p))) { return m[1] + "年" + parseInt(m[2], 10) + "月" + end; }
    if ((m = /^([0-9]{4})-Q([1-4])$/.exec(p))) { return m[1] + "年第" + m[2] + "季度" + end; }
    if (/^[0-9]{4}$/.test(p)) { return p + "年度" + end; }
    return "";
  }

  function follow() {
    if (title.value.trim() !== "" && title.value !== proposed.value) { return; }
    var next = standard();
    if (next) { title.value = next; proposed.value = next; }
  }

  // A distribution is disclosed under its plan's year: choosing the plan fills the period.
  function followPlan() {
    var chosen = plan.options[plan.selectedIndex];
    if (kind.value === "distribution" && chosen && chosen.getAttribute("data-year")) {
      period.value = chosen.getAttribute("data-year");
    }
    follow();
  }

  kind.addEventListener("change", followPlan);
  plan.addEventListener("change", followPlan);
  stage.addEventListener("change", follow);
  period.addEventListener("input", follow);
})();
