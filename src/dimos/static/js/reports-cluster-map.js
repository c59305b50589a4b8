// The public map of reports: clusters counted by the server (/reports/clusters.json) for the
// visible box and zoom, as circles sized by count; single reports link to their page.
// Without JavaScript the list of reports (/reports/) shows the same reports.
(function () {
  "use strict";
  var box = document.getElementById("cluster-map");
  if (!box || !window.L) { return; }
  // Leaflet guesses its pin image's address from leaflet.css, which fails with hashed static
  // names (marker-icon.<hash>.png): the page gives the addresses instead.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: box.dataset.pinIcon, iconRetinaUrl: box.dataset.pinIcon2x, shadowUrl: box.dataset.pinShadow
  });
  var status = document.getElementById("cluster-status");
  var category = document.getElementById("m-category");
  var state = document.getElementById("m-state");
  var since = document.getElementById("m-since");
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var b = (box.dataset.bbox || "").split(",").map(parseFloat);
  var focus = (box.dataset.focus || "").split(",").map(parseFloat);
  if (focus.length === 2 && !focus.some(isNaN)) {
    map.setView(focus, 17);
  } else if (b.length === 4 && !b.some(isNaN)) {
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  } else {
    map.setView([41.09, 23.55], 13);
  }
  var layer = L.layerGroup().addTo(map);
  var pending = null;

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  // What a count is of, in words: "12 αναφορές", never a bare number.
  function counted(n) { return n + " " + (n === 1 ? box.dataset.countOne : box.dataset.countMany); }

  var OPEN = ["open", "acknowledged", "in_progress", "action_scheduled"];
  function kind(status) {
    if (status === "fixed") { return "fixed"; }
    return OPEN.indexOf(status) >= 0 ? "open" : "closed";
  }
  var COLOURS = { open: "#d4351c", fixed: "#00703c", closed: "#505a5f" };
  var names = {};
  if (category) {
    Array.prototype.forEach.call(category.options, function (o) { if (o.value) { names[o.value] = o.text; } });
  }

  function load() {
    var bounds = map.getBounds();
    var bbox = [
      clamp(bounds.getWest(), -180, 180), clamp(bounds.getSouth(), -90, 90),
      clamp(bounds.getEast(), -180, 180), clamp(bounds.getNorth(), -90, 90)
    ].map(function (v) { return v.toFixed(5); }).join(",");
    var params = new URLSearchParams({ bbox: bbox, zoom: String(map.getZoom()) });
    if (category && category.value) { params.set("category", category.value); }
    if (state && state.value) { params.set("state", state.value); }
    if (since && since.value) { params.set("since", since.value); }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(box.dataset.url + "?" + params.toString(), { signal: pending.signal })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(draw)
      .catch(function (e) { if (e && e.name === "AbortError") { return; } });
  }

  // The label of a cluster ("12 αναφορές") is wider than the gap between neighbouring cells,
  // so clusters whose labels would overlap on the screen are drawn as one, at their weighted
  // centre, with their counts added up. Label sizes follow the CSS (.dimos-cluster-count: bold,
  // 0.75rem, padding and border) and the page's text size setting.
  var ruler = document.createElement("canvas").getContext("2d");
  function labelBox(c) {
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    ruler.font = "700 " + (0.75 * rem) + "px " + getComputedStyle(box).fontFamily;
    var w = ruler.measureText(counted(c.count)).width + 0.6 * rem + 4 + 6;  // padding, border, gap
    var h = 1.25 * rem + 4 + 6;
    var p = map.latLngToContainerPoint([c.lat, c.lon]);
    return { left: p.x - w / 2, right: p.x + w / 2, top: p.y - h / 2, bottom: p.y + h / 2 };
  }
  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function apart(cells) {
    var kept = cells.slice().sort(function (a, b) { return b.count - a.count; })
      .map(function (c) { return { lat: c.lat, lon: c.lon, count: c.count }; });
    for (var pass = 0; pass < 10; pass++) {
      var merged = false;
      var out = [];
      kept.forEach(function (c) {
        var into = null;
        var mine = labelBox(c);
        for (var i = 0; i < out.length && !into; i++) {
          if (overlap(labelBox(out[i]), mine)) { into = out[i]; }
        }
        if (!into) { out.push(c); return; }
        var n = into.count + c.count;
        into.lat = (into.lat * into.count + c.lat * c.count) / n;
        into.lon = (into.lon * into.count + c.lon * c.count) / n;
        into.count = n;
        merged = true;
      });
      kept = out;
      if (!merged) { break; }
    }
    return kept;
  }

  function draw(data) {
    layer.clearLayers();
    var total = 0;
    apart(data.cells).forEach(function (c) {
      total += c.count;
      var radius = 10 + Math.min(30, Math.sqrt(c.count));
      var label = c.count + " " + box.dataset.labelMany;
      var m = L.circleMarker([c.lat, c.lon], {
        radius: radius, weight: 2, color: "#003476", fillColor: "#046ec5", fillOpacity: 0.6
      });
      m.bindTooltip(counted(c.count), { permanent: true, direction: "center", className: "dimos-cluster-count" });
      m.on("add", function () {
        var el = m.getElement();
        if (el) { el.setAttribute("role", "img"); el.setAttribute("aria-label", label); }
      });
      m.on("click", function () { map.setView([c.lat, c.lon], map.getZoom() + 2); });
      layer.addLayer(m);
    });
    data.points.forEach(function (p) {
      total += 1;
      var state = kind(p.status);
      var label = box.dataset.labelOne + " #" + p.id + " (" + (names[p.category] || p.category) + ", " +
        box.dataset["status" + state.charAt(0).toUpperCase() + state.slice(1)] + ")";
      var m = L.circleMarker([p.lat, p.lon], {
        radius: 8, weight: 2, color: "#0b0c0c", fillColor: COLOURS[state], fillOpacity: 0.9
      });
      var a = document.createElement("a");
      a.href = p.url;
      a.textContent = label;
      m.bindPopup(a);
      m.on("add", function () {
        var el = m.getElement();
        if (el) { el.setAttribute("role", "img"); el.setAttribute("aria-label", label); }
      });
      layer.addLayer(m);
    });
    if (status) { status.textContent = box.dataset.msgShown + " " + counted(total); }
  }

  map.on("moveend", load);
  [category, state, since].forEach(function (s) { if (s) { s.addEventListener("change", load); } });
  load();
})();
