// "Nearest centres first": fills the form's lat/lon from the browser's location and submits.
// Without JavaScript the button stays hidden and the centres are listed by name.
(function () {
  "use strict";
  var form = document.querySelector("form[data-near-me]");
  if (!form || !navigator.geolocation) return;
  var button = form.querySelector("button");
  button.hidden = false;
  form.addEventListener("submit", function (event) {
    if (form.elements.lat.value) return;
    event.preventDefault();
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(5);
      form.elements.lon.value = pos.coords.longitude.toFixed(5);
      form.submit();
    });
  });
})();
