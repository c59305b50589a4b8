// The dashboard's map: the busiest cells of the reports the filters select, as circles sized
// and shaded by how many reports each holds, labelled in words. The table under it has the
// same figures, for reading without the map or without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("dashboard-map");
  var data = document.getElementById("heatmap-points");
  if (!box || !data || !window.L) { return; }
  var cells = JSON.parse(data.textContent);
  if (!cells.length) { return; }
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var top = Math.max.apply(null, cells.map(function (c) { return c.count; }));
  var bounds = [];
  function counted(n) { return n + " " + (n === 1 ? box.dataset.countOne : box.dataset.countMany); }
  cells.forEach(function (c) {
    var share = c.count / top;
    var circle = L.circle([c.lat, c.lon], {
      radius: 80 + 170 * Math.sqrt(share), weight: 2, color: "#003476",
      fillColor: share > 0.66 ? "#b60202" : (share > 0.33 ? "#d4351c" : "#f47738"), fillOpacity: 0.55
    });
    var link = document.createElement("a");
    link.href = box.dataset.geojson + "?bbox=" + c.bbox;
    var named = (c.place ? c.place + ": " : "") + counted(c.count);
    link.textContent = named + " — " + box.dataset.show;
    circle.bindPopup(link);
    circle.bindTooltip(named, { direction: "top" });
    circle.on("add", function () {
      var el = circle.getElement();
      if (el) { el.setAttribute("role", "img"); el.setAttribute("aria-label", named); }
    });
    circle.addTo(map);
    bounds.push([c.lat, c.lon]);
  });
  map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15 });
})();
