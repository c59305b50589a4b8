// Progressive enhancement of the report form: a map that fills in the coordinates.
// Without JavaScript the latitude and longitude fields are filled in by hand.
(function () {
  "use strict";
  var box = document.getElementById("report-map");
  if (!box || !window.L) { return; }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var start = [parseFloat(box.dataset.lat) || 41.09, parseFloat(box.dataset.lon) || 23.55];
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box).setView(start, 14);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
  }
  if (box.dataset.lat && box.dataset.lon) { place(L.latLng(start[0], start[1])); }
  map.on("click", function (e) { place(e.latlng); });
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var la = parseFloat(lat.value), lo = parseFloat(lon.value);
      if (!isNaN(la) && !isNaN(lo)) { place(L.latLng(la, lo)); map.setView([la, lo]); }
    });
  });
})();
