import TorrentModel

/// The player page of `/watch/<infohash>`: a `<video>` playing the torrent's `master.m3u8` and the torrent's live
/// figures under it. Browsers with native HLS (Safari, current Chromium) play the playlist directly; others load
/// hls.js from a public CDN at run time (nothing third-party is committed or served from here).
enum PlayerPage {
    /// Where hls.js comes from when the browser has no native HLS.
    static let hlsScriptURL = "https://cdn.jsdelivr.net/npm/hls.js@1/dist/hls.min.js"

    static func html(infoHash: InfoHash, name: String) -> String {
        template
            .replacing("{{INFOHASH}}", with: infoHash.hex)
            .replacing("{{NAME}}", with: escapeHTML(name))
            .replacing("{{HLS_SCRIPT}}", with: hlsScriptURL)
    }

    static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    // The script keeps `window.shoalPlayer` up to date (errors, stalls seen by the element) for tests and tools.
    static let template = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{NAME}} · Shoal</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 16px;
                 background: #111; color: #ddd; }
          h1 { font-size: 18px; font-weight: 600; margin: 0 0 12px; word-break: break-all; }
          video { width: 100%; background: #000; aspect-ratio: 16 / 9; }
          #figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 6px 16px;
                     margin: 12px 0; }
          #figures div span { display: block; color: #888; font-size: 12px; }
          #bar { width: 100%; height: 18px; display: block; background: #333; }
          #legend span { margin-right: 14px; font-size: 12px; color: #999; }
          #legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
          #message { color: #f88; margin: 8px 0; }
        </style>
        </head>
        <body>
        <h1>{{NAME}}</h1>
        <video id="video" controls autoplay muted playsinline></video>
        <div id="message"></div>
        <div id="figures">
          <div><span>buffer ahead</span><b id="buffer">–</b></div>
          <div><span>progress</span><b id="progress">–</b></div>
          <div><span>peers</span><b id="peers">–</b></div>
          <div><span>download</span><b id="down">–</b></div>
          <div><span>upload</span><b id="up">–</b></div>
          <div><span>startup</span><b id="startup">–</b></div>
          <div><span>stalls</span><b id="stalls">–</b></div>
          <div><span>deadline misses</span><b id="misses">–</b></div>
          <div><span>from peers / seeds</span><b id="sources">–</b></div>
          <div><span>peers found by</span><b id="found">–</b></div>
          <div><span>DHT nodes</span><b id="dht">–</b></div>
          <div><span>mode</span><b id="mode">–</b></div>
        </div>
        <canvas id="bar" width="960" height="18"></canvas>
        <div id="legend"><span><i style="background:#3c3"></i>verified</span><span><i style="background:#fc3"></i>in
          flight</span><span><i style="background:#555"></i>missing</span><span><i style="background:#e33"></i>deadline
          window</span></div>
        <script>
        "use strict";
        const infoHash = "{{INFOHASH}}";
        const source = "/v/" + infoHash + "/master.m3u8";
        const video = document.getElementById("video");
        const state = window.shoalPlayer = { errors: [], waiting: 0, engine: "" };
        const show = (id, text) => { document.getElementById(id).textContent = text; };
        const fail = (text) => { state.errors.push(text); show("message", text); };

        video.addEventListener("waiting", () => { state.waiting += 1; });
        video.addEventListener("error", () => {
          const error = video.error;
          fail("media error " + (error ? error.code + " " + (error.message || "") : ""));
        });

        function start() {
          if (video.canPlayType("application/vnd.apple.mpegurl")) {
            state.engine = "native";
            video.src = source;
            return;
          }
          const script = document.createElement("script");
          script.src = "{{HLS_SCRIPT}}";
          script.onload = () => {
            if (!window.Hls || !window.Hls.isSupported()) { fail("this browser cannot play HLS"); return; }
            state.engine = "hls.js";
            const hls = new window.Hls();
            hls.on(window.Hls.Events.ERROR, (_, data) => { if (data.fatal) fail("hls.js: " + data.details); });
            hls.loadSource(source);
            hls.attachMedia(video);
          };
          script.onerror = () => fail("this browser has no native HLS and hls.js could not be loaded");
          document.head.appendChild(script);
        }

        function rate(bytes) {
          if (bytes >= 1e6) return (bytes / 1e6).toFixed(1) + " MB/s";
          if (bytes >= 1e3) return (bytes / 1e3).toFixed(0) + " kB/s";
          return bytes.toFixed(0) + " B/s";
        }

        function seconds(value) { return value == null ? "–" : value.toFixed(1) + " s"; }

        function elementBuffer() {
          const ranges = video.buffered;
          for (let i = 0; i < ranges.length; i++) {
            if (ranges.start(i) <= video.currentTime + 0.1 && video.currentTime <= ranges.end(i)) {
              return ranges.end(i) - video.currentTime;
            }
          }
          return 0;
        }

        function drawBar(status) {
          const canvas = document.getElementById("bar");
          const context = canvas.getContext("2d");
          const count = status.pieceCount || 1;
          const width = canvas.width / count;
          const colours = { h: "#3c3", r: "#fc3", m: "#555" };
          for (let i = 0; i < count; i++) {
            context.fillStyle = colours[status.pieceMap[i]] || "#555";
            context.fillRect(i * width, 0, Math.max(width, 1), canvas.height);
          }
          context.fillStyle = "#e33";
          for (const piece of status.deadlinePieces) {
            context.fillRect(piece * width, 0, Math.max(width, 1), 4);
          }
        }

        async function refresh() {
          try {
            const response = await fetch("/api/torrents/" + infoHash, { cache: "no-store" });
            if (!response.ok) return;
            const status = await response.json();
            const playback = status.playback;
            show("buffer", seconds(Math.max(elementBuffer(), playback ? playback.bufferAheadSeconds : 0)));
            show("progress", (100 * status.verifiedBytes / Math.max(status.totalBytes, 1)).toFixed(1) + " %");
            show("peers", String(status.peers));
            show("down", rate(status.downloadRate));
            show("up", rate(status.uploadRate));
            show("startup", seconds(status.quality.startupSeconds));
            show("stalls", status.quality.stalls + " (" + seconds(status.quality.stallSeconds) + ")");
            show("misses", status.quality.deadlineMisses + " (" + status.quality.deadlineMissesWhilePlaying
              + " playing)");
            const total = status.bytesFromPeers + status.bytesFromSeeds;
            show("sources", total > 0 ? (100 * status.bytesFromPeers / total).toFixed(0) + " % / "
              + (100 * status.bytesFromSeeds / total).toFixed(0) + " %" : "–");
            const found = Object.entries(status.peerSources || {}).sort((a, b) => b[1] - a[1]);
            show("found", found.length > 0 ? found.map(([source, count]) => source + " " + count).join(", ") : "–");
            show("dht", status.dhtNodes == null ? "off" : String(status.dhtNodes));
            show("mode", status.mode);
            drawBar(status);
          } catch (error) {
            // The node may be restarting; the next refresh tries again.
          }
        }

        start();
        refresh();
        setInterval(refresh, 1000);
        </script>
        </body>
        </html>
        """#
}
