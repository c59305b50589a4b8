// The map of a resource: a GeoJSON file, or the points of a table's latitude and longitude
// columns (the rows filtered as the table is). Without JavaScript the table shows the same rows.
(function () {
  "use strict";
  var box = document.getElementById("opendata-map");
  if (!box || !window.L) { return; }
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: box.dataset.pinIcon, iconRetinaUrl: box.dataset.pinIcon2x, shadowUrl: box.dataset.pinShadow
  });
  var status = document.getElementById("opendata-map-status");
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  map.setView([40.64, 22.94], 12);
  function describe(props) {
    var div = document.createElement("div");
    Object.keys(props || {}).slice(0, 12).forEach(function (key) {
      var line = document.createElement("div");
      var strong = document.createElement("strong");
      strong.textContent = key + ": ";
      line.appendChild(strong);
      line.appendChild(document.createTextNode(props[key] === null ? "" : String(props[key])));
      div.appendChild(line);
    });
    return div;
  }
  fetch(box.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        onEachFeature: function (feature, l) { l.bindPopup(describe(feature.properties)); }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 16 }); }
      var n = (data.features || []).length;
      if (status) { status.textContent = box.dataset.msgShown + " " + n + (status.textContent ? " · " + status.textContent : ""); }
    })
    .catch(function () { box.classList.remove("dimos-map--on"); box.setAttribute("aria-hidden", "true"); });
}());
