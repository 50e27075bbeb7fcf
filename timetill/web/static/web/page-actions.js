// What the pages once did in inline event handlers, which the Content-Security-Policy forbids:
// data-submit-on-change (a select or checkbox that submits its form), data-print (a Print button),
// data-no-submit (a search form that htmx sends, never the browser), data-closes-outside (a drop-down
// <details> menu that a tap elsewhere or Escape closes).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-submit-on-change]");
    if (field && field.form) field.form.submit();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });

  function closeMenus(except) {
    document.querySelectorAll("details[data-closes-outside][open]").forEach(function (menu) {
      if (!except || !menu.contains(except)) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-no-submit]")) event.preventDefault();
  });
})();
