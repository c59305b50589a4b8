// The meeting's video: nothing is loaded from the provider until the visitor presses the
// preview; then the player replaces it. "Watch item" links load (or move) the player to the
// item's time-code; without JavaScript they are plain links to the provider at that time.
(function () {
  "use strict";
  var player = document.getElementById("council-player");
  if (!player) { return; }
  var preview = player.querySelector(".council-player__preview");

  function withAutoplay(address) {
    var url = new URL(address, window.location.href);
    if (url.hostname === "www.youtube-nocookie.com") { url.searchParams.set("autoplay", "1"); }
    return url.toString();
  }

  function load(address) {
    var frame = player.querySelector("iframe");
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = player.getAttribute("data-title");
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      player.appendChild(frame);
    }
    frame.src = address;
    if (preview) { preview.hidden = true; }
    return frame;
  }

  if (preview) {
    preview.hidden = false;
    preview.addEventListener("click", function () {
      load(withAutoplay(player.getAttribute("data-embed"))).focus();
    });
  }

  document.querySelectorAll(".council-item__watch[data-embed]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var frame = load(link.getAttribute("data-embed"));
      player.scrollIntoView({ block: "start" });
      frame.focus();
    });
  });
})();
