// The map of a run: the start (the town hall) and the stops as numbered markers, joined by a
// line in the order of the way. The page lists the same stops with their coordinates, for
// reading without the map or without JavaScript; tiles that do not load leave the markers.
(function () {
  "use strict";
  var box = document.getElementById("run-map");
  var data = document.getElementById("run-points");
  if (!box || !data || !window.L) { return; }
  var points = JSON.parse(data.textContent);
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  function marker(lat, lon, text, start) {
    var icon = L.divIcon({
      className: "", iconSize: [28, 28], iconAnchor: [14, 14],
      html: '<span class="dimos-run-marker' + (start ? " dimos-run-marker--start" : "") + '"></span>'
    });
    var m = L.marker([lat, lon], { icon: icon, keyboard: false, title: text }).addTo(map);
    m.getElement().firstChild.textContent = start ? "⌂" : text;
    return m;
  }
  var line = [[points.start[0], points.start[1]]];
  points.stops.forEach(function (stop) { line.push([stop.lat, stop.lon]); });
  // The view first: Leaflet places markers only on a map that has one.
  map.fitBounds(line, { padding: [30, 30], maxZoom: 16 });
  L.polyline(line, { color: "#003476", weight: 3, opacity: 0.8 }).addTo(map);
  marker(points.start[0], points.start[1], box.dataset.startLabel, true);
  points.stops.forEach(function (stop) { marker(stop.lat, stop.lon, String(stop.n), false); });
})();
