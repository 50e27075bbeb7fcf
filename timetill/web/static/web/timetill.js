// Keeps the scan field focused, so what a USB barcode or RFID reader types (the code, then Enter) always
// lands in it; clears it as each scan is sent; shows a red message when the server cannot be reached.
(function () {
  "use strict";

  function scanField() {
    return document.getElementById("scan-code");
  }

  // Fields where a person types on purpose (search, note, times): focus stays there.
  function isTypingField(element) {
    if (!element || element === document.body) return false;
    if (element.matches("textarea, select, [contenteditable]")) return true;
    return element.matches("input") && !element.matches("[type=hidden], [type=checkbox], [type=radio], [type=submit], [type=button]");
  }

  function refocus(force) {
    var field = scanField();
    if (!field) return;
    var active = document.activeElement;
    if (force || !isTypingField(active) || !document.contains(active)) {
      field.focus({ preventScroll: true });
    }
  }

  function message(name, fallback) {
    var key = "msg" + name.charAt(0).toUpperCase() + name.slice(1);
    return (document.body && document.body.dataset[key]) || fallback;
  }

  function showError(text) {
    var slot = document.getElementById("flash");
    if (!slot) return;
    slot.innerHTML = "";
    var box = document.createElement("div");
    box.className = "flash flash-error";
    box.setAttribute("role", "alert");
    var icon = document.createElement("span");
    icon.className = "flash-icon";
    box.appendChild(icon);
    box.appendChild(document.createTextNode(text));
    slot.appendChild(box);
  }

  // Mark the line whose details the side panel shows, in whichever list it is.
  function markSelectedLine() {
    var shown = document.getElementById("panel-line");
    var selected = shown ? shown.value : null;
    document.querySelectorAll("article.line[data-line]").forEach(function (row) {
      row.classList.toggle("line-selected", row.getAttribute("data-line") === selected);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    refocus(true);
    markSelectedLine();
  });

  // Clear the field as soon as the scan is on its way: a reader may already be typing the next code.
  document.addEventListener("htmx:beforeSend", function (event) {
    if (event.detail.elt && event.detail.elt.id === "scan-form") {
      var field = scanField();
      if (field) field.value = "";
    }
  });

  // After every swap: back to the scan field, unless the person is typing elsewhere (a GET, e.g. a search
  // or the list refreshing itself, must not steal the search box); after an action (a POST), always.
  document.addEventListener("htmx:afterSettle", function (event) {
    markSelectedLine();
    var config = event.detail.requestConfig || {};
    refocus(config.verb === "post");
    var target = event.detail.target;
    // On a narrow screen the details panel sits below the lists: bring it into view when it opens.
    if (target && target.id === "line-panel" && config.verb === "get") {
      var box = target.getBoundingClientRect();
      if (box.top > window.innerHeight || box.bottom < 0) target.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });

  // Focus lost to a button, a blank spot or the page itself goes back to the scan field.
  document.addEventListener("focusout", function () {
    window.setTimeout(function () {
      refocus(false);
    }, 0);
  });
  window.addEventListener("focus", function () {
    refocus(false);
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : "";
    // The messages come translated from the page (base.html's data-msg-* attributes).
    showError(message("serverError", "The server could not do that (error {status}). Try again; if it persists, reload the page.").replace("{status}", status));
  });
  document.addEventListener("htmx:sendError", function () {
    showError(message("offline", "The server cannot be reached: check the network, then scan again."));
  });
})();
