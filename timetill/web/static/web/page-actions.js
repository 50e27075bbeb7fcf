// What the pages once did in inline event handlers, which the Content-Security-Policy forbids:
// data-submit-on-change (a select or checkbox that submits its form), data-print (a Print button),
// data-no-submit (a search form that htmx sends, never the browser).
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

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-no-submit]")) event.preventDefault();
  });
})();
