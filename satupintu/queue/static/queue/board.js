// Display board: polls the JSON every 1.5 s; on a new call it flashes, chimes and speaks
// "Nomor antrean A-012, silakan menuju loket 3" in Indonesian (speechSynthesis id-ID).
// A network blip never stalls it: failures back off (1.5 s → 30 s max) and it recovers
// by itself; a watchdog restarts the loop if a request hangs.
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  var url = root.dataset.url, say = root.dataset.say, lang = root.dataset.lang || "id-ID";
  var BASE = 1500, MAX = 30000, delay = BASE, timer = null, lastTick = Date.now();
  var seen = null, audio = null, soundOn = false;
  var status = document.getElementById("board-status");

  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (f, i) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = f; o.connect(g); g.connect(audio.destination);
        var t = audio.currentTime + i * 0.35;
        g.gain.setValueAtTime(0.25, t); g.gain.exponentialRampToValueAtTime(0.001, t + 0.3);
        o.start(t); o.stop(t + 0.32);
      });
    } catch (e) { /* no audio device */ }
  }
  function speak(call) {
    if (!("speechSynthesis" in window)) { return; }
    var spoken = call.number.replace("-", " ");
    var u = new SpeechSynthesisUtterance(say.replace("{number}", spoken).replace("{counter}", call.counter));
    u.lang = lang; u.rate = 0.9;
    var voice = window.speechSynthesis.getVoices().filter(function (v) { return v.lang && v.lang.indexOf("id") === 0; })[0];
    if (voice) { u.voice = voice; }
    window.setTimeout(function () { window.speechSynthesis.speak(u); }, 800);
  }
  function text(el, value) { if (el) { el.textContent = value; } }
  function render(data) {
    var latest = data.calls[0];
    text(document.getElementById("board-number"), latest ? latest.number : "—");
    text(document.getElementById("board-counter"), latest ? (root.dataset.counterLabel || "Loket") + " " + latest.counter : "");
    var tbody = document.getElementById("board-recent");
    tbody.replaceChildren.apply(tbody, data.calls.map(function (c) {
      var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td");
      a.textContent = c.number; b.textContent = c.counter; tr.append(a, b); return tr;
    }));
    var ul = document.getElementById("board-waiting");
    var items = data.waiting.map(function (w) {
      var li = document.createElement("li"), s = document.createElement("strong");
      li.textContent = w.letter + " · " + w.name + ": "; s.textContent = w.count; li.append(s); return li;
    });
    if (!items.length) { var li = document.createElement("li"); li.textContent = "—"; items = [li]; }
    ul.replaceChildren.apply(ul, items);
    var ids = data.calls.map(function (c) { return c.id; });
    if (seen !== null) {
      data.calls.slice().reverse().forEach(function (c) {
        if (seen.indexOf(c.id) === -1) {
          root.classList.add("board-flash");
          window.setTimeout(function () { root.classList.remove("board-flash"); }, 3000);
          if (soundOn) { chime(); speak(c); }
          root.dataset.lastAnnounced = c.number + "@" + c.counter;
        }
      });
    }
    seen = ids;
  }
  function schedule(ms) { window.clearTimeout(timer); timer = window.setTimeout(poll, ms); }
  function poll() {
    lastTick = Date.now();
    var ctrl = "AbortController" in window ? new AbortController() : null;
    var abort = window.setTimeout(function () { if (ctrl) { ctrl.abort(); } }, 5000);
    fetch(url, { cache: "no-store", signal: ctrl ? ctrl.signal : undefined, headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) { render(data); delay = BASE; text(status, ""); root.dataset.state = "ok"; })
      .catch(function () {
        delay = Math.min(MAX, delay * 2);
        root.dataset.state = "offline";
        text(status, "Koneksi terputus — mencoba lagi dalam " + Math.round(delay / 1000) + " detik");
      })
      .finally(function () { window.clearTimeout(abort); schedule(delay); });
  }
  // Watchdog: if nothing ran for a long time (a hung request, a sleeping tab), start again.
  window.setInterval(function () { if (Date.now() - lastTick > MAX + 10000) { delay = BASE; poll(); } }, 5000);
  var btn = document.getElementById("sound-on");
  if (btn) {
    btn.addEventListener("click", function () {
      soundOn = true; chime(); btn.hidden = true;
      if ("speechSynthesis" in window) { window.speechSynthesis.getVoices(); }
    });
  }
  window.addEventListener("online", function () { delay = BASE; schedule(0); });
  poll();
})();
