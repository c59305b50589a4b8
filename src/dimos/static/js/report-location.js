// A report's page: its place on a small map, with the pin. Without JavaScript the page says
// the address and links to the map of reported problems centred on it.
(function () {
  "use strict";
  var box = document.getElementById("report-location");
  if (!box || !window.L) { return; }
  // Leaflet guesses its pin image's address from leaflet.css, which fails with hashed static
  // names (marker-icon.<hash>.png): the page gives the addresses instead.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: box.dataset.pinIcon, iconRetinaUrl: box.dataset.pinIcon2x, shadowUrl: box.dataset.pinShadow
  });
  var here = L.latLng(parseFloat(box.dataset.lat), parseFloat(box.dataset.lon));
  if (isNaN(here.lat) || isNaN(here.lng)) { return; }
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box, { scrollWheelZoom: false }).setView(here, 16);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  L.marker(here, { alt: box.dataset.label, title: box.dataset.label, keyboard: false, interactive: false })
    .addTo(map);
})();
