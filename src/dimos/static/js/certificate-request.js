// The certificate request form: "for me" hides the part for someone else (and shows, for
// someone else, only the field their case needs: the relationship for family, the
// authorisation for a representative). Without JavaScript every part shows, and the server
// ignores the part for someone else when the certificate is for oneself.
// When the person's details were filled in from the account, choosing someone else empties
// the ones still as filled in, and choosing "for me" again puts them back.
(function () {
  "use strict";
  document.querySelectorAll("form.dimos-request-form").forEach(function (form) {
    var radios = form.querySelectorAll("input[name=requester]");
    if (!radios.length) { return; }
    var part = form.querySelector("[data-requester-part]");
    var person = form.querySelector("#the-person[data-prefilled]");
    var own = person ? Array.prototype.filter.call(
      person.querySelectorAll("input"), function (input) { return input.defaultValue; }
    ) : [];
    var chosen = function () {
      var checked = form.querySelector("input[name=requester]:checked");
      return checked ? checked.value : "self";
    };
    var last = chosen();
    var show = function () {
      var who = chosen();
      if (part) {
        part.hidden = who === "self";
        part.querySelectorAll("[data-for-requester]").forEach(function (box) {
          box.hidden = box.getAttribute("data-for-requester") !== who;
        });
      }
      own.forEach(function (input) {
        if (who !== "self" && last === "self" && input.value === input.defaultValue) {
          input.value = "";
        } else if (who === "self" && !input.value) {
          input.value = input.defaultValue;
        }
      });
      last = who;
    };
    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  });
})();
