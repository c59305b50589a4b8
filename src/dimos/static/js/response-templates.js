// Response templates on a report's back-office page: choosing one puts its text, filled in
// for this report, in the text box to edit. Without JavaScript the server does the same
// when the text box is left empty.
(function () {
  "use strict";
  var data = document.getElementById("response-templates");
  if (!data) { return; }
  var texts = JSON.parse(data.textContent);
  document.querySelectorAll("select[name=template]").forEach(function (select) {
    var box = select.form.querySelector("textarea");
    if (!box) { return; }
    var filled = "";
    select.addEventListener("change", function () {
      var text = texts[select.value];
      if (text === undefined) { return; }
      // Replace only what a template put there, never what was typed.
      if (!box.value.trim() || box.value === filled) {
        box.value = text;
        filled = text;
      }
    });
  });
})();
