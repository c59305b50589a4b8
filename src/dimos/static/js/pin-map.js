// A map that sets a point: a tap (or a click) drops the pin and fills in the visible
// latitude and longitude fields; the phone's location and an address search on the page do
// the same. Used by every form that asks where (a problem reported, the home of a person
// helped): each map is an element with data-pin-map; data-lat-input, data-lon-input,
// data-address-input, data-search, data-results and data-locate name its companions' ids
// (id_lat, id_lon, id_address, address-search, address-results, locate-me by default).
// With the keyboard: the arrow keys move the map and Enter (or Space) sets the point at its
// centre, marked by a cross while the map has the focus. Without JavaScript the address
// search reloads the page with a list of places, and the coordinates are typed.
(function () {
  "use strict";
  if (!window.L) { return; }

  function byId(id) { return id ? document.getElementById(id) : null; }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }

  function setUp(box) {
    var data = box.dataset;
    // Leaflet guesses its pin image's address from leaflet.css, which fails with hashed static
    // names (marker-icon.<hash>.png): the page gives the addresses instead.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: data.pinIcon, iconRetinaUrl: data.pinIcon2x, shadowUrl: data.pinShadow
    });
    var lat = byId(data.latInput || "id_lat");
    var lon = byId(data.lonInput || "id_lon");
    if (!lat || !lon) { return; }
    var address = byId(data.addressInput || "id_address");
    var search = byId(data.search || "address-search");
    var results = byId(data.results || "address-results");
    var status = byId(data.status);
    var start = [parseFloat(data.lat) || parseFloat(data.centreLat) || 41.09,
                 parseFloat(data.lon) || parseFloat(data.centreLon) || 23.55];
    box.removeAttribute("aria-hidden");
    box.classList.add("dimos-map--on");
    if (data.label) {
      box.setAttribute("role", "application");
      box.setAttribute("aria-label", data.label);
      if (data.hint) { box.setAttribute("aria-describedby", data.hint); }
    }
    // A hint that speaks of the map is shown only with the map.
    var hint = byId(data.hint);
    if (hint) { hint.hidden = false; }
    var map = L.map(box).setView(start, parseInt(data.zoom, 10) || 14);
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    var marker = null;
    // The address field is ours to fill until the person types in it.
    var addressIsOurs = address && !address.value;
    if (address) { address.addEventListener("input", function () { addressIsOurs = false; }); }

    function fillAddress(latlng) {
      if (!search || !address || !addressIsOurs || !search.dataset.reverseUrl) { return; }
      var url = search.dataset.reverseUrl + "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6);
      getJSON(url).then(function (r) {
        if (r.ok && r.body.address && addressIsOurs) { address.value = r.body.address; }
      }).catch(function () { /* the address stays for the person to type */ });
    }

    function place(latlng, label, quiet) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (status && !quiet && data.msgPlaced) {
        status.textContent = data.msgPlaced.replace("%(lat)s", lat.value).replace("%(lon)s", lon.value);
      }
      if (label && address && (addressIsOurs || !address.value)) {
        address.value = label;
        addressIsOurs = true;
      } else {
        fillAddress(latlng);
      }
    }
    // A pin the page came with keeps the address it came with (typed, or chosen from a search).
    if (data.lat && data.lon) { place(L.latLng(start[0], start[1]), null, true); }
    map.on("click", function (e) { place(e.latlng); });
    // The keyboard: Enter or Space on the focused map sets the point at its centre.
    var container = map.getContainer();
    container.addEventListener("keydown", function (e) {
      if (e.target !== container || (e.key !== "Enter" && e.key !== " ")) { return; }
      e.preventDefault();
      place(map.getCenter());
    });
    container.addEventListener("focus", function () {
      // The cross only for the keyboard: a tap or a click focuses the map too.
      var keyboard = true;
      try { keyboard = container.matches(":focus-visible"); } catch (e) { /* an old browser */ }
      if (keyboard) { box.classList.add("dimos-map--aiming"); }
    });
    container.addEventListener("blur", function () { box.classList.remove("dimos-map--aiming"); });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var la = parseFloat(lat.value), lo = parseFloat(lon.value);
        if (!isNaN(la) && !isNaN(lo)) { place(L.latLng(la, lo), null, true); map.setView([la, lo]); }
      });
    });

    // "Use my location": only where the browser can tell it.
    var locate = byId(data.locate || "locate-me");
    if (locate && navigator.geolocation) {
      var said = locate.querySelector("p");
      locate.hidden = false;
      locate.querySelector("button").addEventListener("click", function () {
        said.textContent = data.msgLocating;
        navigator.geolocation.getCurrentPosition(function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          place(here);
          map.setView(here, 17);
          said.textContent = data.msgFound;
        }, function () {
          said.textContent = data.msgNoLocation;
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }

    // Address search on the page: the same results as the page without JavaScript, as buttons.
    if (search && results && search.dataset.searchUrl) {
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
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-pin-map]"), setUp);
})();
