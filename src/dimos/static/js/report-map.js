// Progressive enhancement of the report form: a map that fills in the coordinates, the
// phone's location, and address search without leaving the page. Without JavaScript the
// address search reloads the page with a list of places, and the coordinates are typed.
(function () {
  "use strict";
  var box = document.getElementById("report-map");
  if (!box || !window.L) { return; }
  // Leaflet guesses its pin image's address from leaflet.css, which fails with hashed static
  // names (marker-icon.<hash>.png): the page gives the addresses instead.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: box.dataset.pinIcon, iconRetinaUrl: box.dataset.pinIcon2x, shadowUrl: box.dataset.pinShadow
  });
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var address = document.getElementById("id_address");
  var search = document.getElementById("address-search");
  var results = document.getElementById("address-results");
  var start = [parseFloat(box.dataset.lat) || 41.09, parseFloat(box.dataset.lon) || 23.55];
  box.removeAttribute("aria-hidden");
  box.classList.add("dimos-map--on");
  var map = L.map(box).setView(start, 14);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var marker = null;
  // The address field is ours to fill until the resident types in it.
  var addressIsOurs = address && !address.value;
  if (address) { address.addEventListener("input", function () { addressIsOurs = false; }); }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }

  function fillAddress(latlng) {
    if (!search || !address || !addressIsOurs) { return; }
    var url = search.dataset.reverseUrl + "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6);
    getJSON(url).then(function (r) {
      if (r.ok && r.body.address && addressIsOurs) { address.value = r.body.address; }
    }).catch(function () { /* the address stays for the resident to type */ });
  }

  function place(latlng, label) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (label && address && (addressIsOurs || !address.value)) {
      address.value = label;
      addressIsOurs = true;
    } else {
      fillAddress(latlng);
    }
  }
  // A pin the page came with keeps the address it came with (typed, or chosen from a search).
  if (box.dataset.lat && box.dataset.lon) { place(L.latLng(start[0], start[1])); }
  map.on("click", function (e) { place(e.latlng); });
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var la = parseFloat(lat.value), lo = parseFloat(lon.value);
      if (!isNaN(la) && !isNaN(lo)) { place(L.latLng(la, lo)); map.setView([la, lo]); }
    });
  });

  // "Use my location": only where the browser can tell it.
  var locate = document.getElementById("locate-me");
  if (locate && navigator.geolocation) {
    var status = locate.querySelector("p");
    locate.hidden = false;
    locate.querySelector("button").addEventListener("click", function () {
      status.textContent = box.dataset.msgLocating;
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        place(here);
        map.setView(here, 17);
        status.textContent = box.dataset.msgFound;
      }, function () {
        status.textContent = box.dataset.msgNoLocation;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // Address search on the page: the same results as the page without JavaScript, as buttons.
  if (search && results) {
    search.addEventListener("submit", function (event) {
      var query = search.querySelector("input[name=q]").value.trim();
      if (!query) { return; }
      event.preventDefault();
      getJSON(search.dataset.searchUrl + "?q=" + encodeURIComponent(query)).then(function (r) {
        results.textContent = "";
        if (!r.ok) {
          var error = document.createElement("p");
          error.className = "govgr-error-message";
          error.textContent = r.body.error ? r.body.error.message : "";
          results.appendChild(error);
          return;
        }
        if (!r.body.results.length) {
          var none = document.createElement("p");
          none.className = "govgr-body";
          none.textContent = search.dataset.msgNone || "—";
          results.appendChild(none);
          return;
        }
        var list = document.createElement("ul");
        list.className = "govgr-list";
        r.body.results.forEach(function (found) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "govgr-link dimos-link-button";
          button.textContent = found.label;
          button.addEventListener("click", function () {
            var here = L.latLng(found.lat, found.lon);
            place(here, found.label);
            map.setView(here, 17);
            results.textContent = "";
            lat.focus();
          });
          item.appendChild(button);
          list.appendChild(item);
        });
        results.appendChild(list);
        list.querySelector("button").focus();
      }).catch(function () { search.submit(); });
    });
  }
})();
