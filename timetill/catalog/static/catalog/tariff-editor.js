// The tariff editor: the Form / Advanced (JSON) tabs (the server reads which one is being edited), rows added
// to the tiers, bands and groups tables, "Copy to other days" in the Daily Time week, and the preview's
// messages shown at their fields. No inline script: the page's Content-Security-Policy forbids them.
(function () {
  "use strict";

  function changed(element) {
    // Tell the preview something changed, as typing does.
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function showTab(name) {
    var editor = document.getElementById("tariff-editor");
    if (!editor) return;
    editor.value = name;
    document.querySelectorAll("[data-tab]").forEach(function (tab) {
      var active = tab.getAttribute("data-tab") === name;
      tab.setAttribute("aria-selected", active ? "true" : "false");
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.hidden = !active;
    });
    document.body.dispatchEvent(new Event("tariff-changed"));
  }

  function addRow(prefix) {
    var template = document.getElementById(prefix + "-template");
    var rows = document.getElementById(prefix + "-rows");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !rows || !total) return;
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    var wrap = rows.closest(".rows-empty");
    if (wrap) wrap.classList.remove("rows-empty");
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) first.focus();
  }

  // "Copy to other days": this day's hours to every other ticked day (to every other day when none is).
  function copyDay(day) {
    var from = document.querySelector("[data-day-from=" + day + "]");
    var to = document.querySelector("[data-day-to=" + day + "]");
    if (!from || !to) return;
    var own = document.querySelector("[data-day-on=" + day + "]");
    if (own) own.checked = true;
    var others = Array.prototype.slice.call(document.querySelectorAll("[data-day-on]")).filter(function (box) {
      return box.getAttribute("data-day-on") !== day;
    });
    var ticked = others.filter(function (box) { return box.checked; });
    (ticked.length ? ticked : others).forEach(function (box) {
      var other = box.getAttribute("data-day-on");
      box.checked = true;
      document.querySelector("[data-day-from=" + other + "]").value = from.value;
      document.querySelector("[data-day-to=" + other + "]").value = to.value;
    });
    changed(from);
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-tab], [data-add-row], [data-copy-day]");
    if (!target) return;
    event.preventDefault();
    if (target.hasAttribute("data-tab")) showTab(target.getAttribute("data-tab"));
    else if (target.hasAttribute("data-add-row")) addRow(target.getAttribute("data-add-row"));
    else copyDay(target.getAttribute("data-copy-day"));
  });

  // Typing hours into a day ticks it: a day with hours is meant to be included.
  document.addEventListener("input", function (event) {
    var day = event.target.getAttribute && (event.target.getAttribute("data-day-from") || event.target.getAttribute("data-day-to"));
    if (day && event.target.value) {
      var box = document.querySelector("[data-day-on=" + day + "]");
      if (box) box.checked = true;
    }
  });

  // The preview lists what is wrong in the form: show each message at its field too, as a save would.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "preview") return;
    document.querySelectorAll(".live-error").forEach(function (old) { old.remove(); });
    document.querySelectorAll(".live-invalid").forEach(function (old) { old.classList.remove("live-invalid", "field-invalid"); });
    document.querySelectorAll("#form-problems [data-for]").forEach(function (item) {
      var field = document.getElementById(item.getAttribute("data-for"));
      var box = field && field.closest(".field, td");
      if (!box) return;
      box.classList.add("live-invalid", "field-invalid");
      var note = document.createElement("small");
      note.className = "field-error live-error";
      note.textContent = item.getAttribute("data-message");
      box.appendChild(note);
    });
  });
})();
