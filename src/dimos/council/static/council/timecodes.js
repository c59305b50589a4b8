// The secretary marks where each agenda item starts and ends while watching the recording.
// The time comes from the embedded YouTube player (its IFrame API messages: "infoDelivery"
// carries currentTime) when the video is shown here, or else from a local clock the secretary
// starts and pauses with the video. The buttons only fill the fields; the form is saved as
// typed, so the page works without JavaScript too.
(function () {
  "use strict";
  var player = document.getElementById("council-player");
  var form = document.getElementById("council-timecodes");
  if (!form) {
    return;
  }
  document.querySelectorAll(".council-js").forEach(function (el) {
    el.hidden = false;
  });

  var clock = { running: false, startedAt: 0, offset: 0 };
  var video = { known: false, time: 0, at: 0, playing: false, frame: null, origin: "" };

  function now() {
    return Date.now() / 1000;
  }

  function current() {
    if (video.known) {
      return video.time + (video.playing ? now() - video.at : 0);
    }
    return clock.running ? clock.offset + (now() - clock.startedAt) : clock.offset;
  }

  function format(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var r = s % 60;
    var two = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return h ? h + ":" + two(m) + ":" + two(r) : m + ":" + two(r);
  }

  var display = document.getElementById("council-clock-time");
  window.setInterval(function () {
    if (display) {
      display.textContent = format(current());
    }
  }, 250);

  var start = document.getElementById("council-clock-start");
  var pause = document.getElementById("council-clock-pause");
  if (start) {
    start.addEventListener("click", function () {
      if (!clock.running) {
        clock.running = true;
        clock.startedAt = now();
      }
    });
  }
  if (pause) {
    pause.addEventListener("click", function () {
      if (clock.running) {
        clock.offset += now() - clock.startedAt;
        clock.running = false;
      }
    });
  }

  document.querySelectorAll(".council-mark").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-target"));
      if (field) {
        field.value = format(current());
        field.focus();
      }
    });
  });

  // The player, shown only when asked (nothing is loaded from the provider before).
  var load = document.getElementById("council-load");
  if (!player || !load) {
    return;
  }
  load.addEventListener("click", function () {
    if (video.frame) {
      return;
    }
    var src = player.getAttribute("data-embed");
    var youtube = player.getAttribute("data-provider") === "youtube";
    if (youtube) {
      src += (src.indexOf("?") < 0 ? "?" : "&") + "enablejsapi=1&origin=" +
        encodeURIComponent(window.location.origin);
    }
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = player.getAttribute("data-title");
    frame.className = "council-player__frame";
    frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    player.appendChild(frame);
    load.parentNode.hidden = true;
    video.frame = frame;
    video.origin = new URL(src).origin;
    if (youtube) {
      // Ask the player to report its state; it answers with "infoDelivery" messages.
      var listen = function () {
        if (frame.contentWindow) {
          frame.contentWindow.postMessage(
            JSON.stringify({ event: "listening", id: "council", channel: "widget" }),
            video.origin
          );
        }
      };
      frame.addEventListener("load", listen);
      window.setInterval(listen, 2000);
    }
  });

  window.addEventListener("message", function (event) {
    if (!video.frame || event.origin !== video.origin || event.source !== video.frame.contentWindow) {
      return;
    }
    var data;
    try {
      data = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
    } catch (e) {
      return;
    }
    var info = data && data.info;
    if (!info || typeof info !== "object") {
      return;
    }
    if (typeof info.currentTime === "number") {
      video.known = true;
      video.time = info.currentTime;
      video.at = now();
    }
    if (typeof info.playerState === "number") {
      video.playing = info.playerState === 1;
    }
  });
})();
