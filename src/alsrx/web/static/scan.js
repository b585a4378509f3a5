// Switch scanning, dwell (gaze) and read aloud on the patient pages. Progressive enhancement:
// it does nothing unless <body data-access> carries the user's settings (base.html, from
// domain/access_modes.py); every page works without it. The words shown come from the page.
//
// SCAN: the actions marked data-scan are highlighted one after the other, in page order, from
// the one marked data-scan-start (Today: the Done button of the card to log next). One switch:
// Space or Enter, or a tap anywhere. A press shorter than the acceptance time is ignored; a
// press held for the long-hold time goes back (to the previous action, or out of a group); any
// other press selects the highlighted action. data-scan="group" (a fieldset, a menu) is one
// step; selecting it scans its choices. After the set number of rounds without a selection the
// scan stops and shows "Start scanning".
// A page whose main content marks no actions (Account: a form a helper fills in by hand) is
// scanned over its menu only, and only once the switch is pressed: the scan starts stopped,
// never takes a click, a tap or a key meant for the form, and stops when the form is touched,
// so the switch user can always leave and the helper is never interrupted.
// DWELL: the pointer (a gaze cursor) resting on an action fills a ring and activates it after
// the dwell time; leaving cancels it; after an activation nothing fires for a short while, and
// on a page just opened the action already under the pointer fires only once it was left.
(function () {
  "use strict";
  var body = document.body;
  var mode = body.getAttribute("data-access");
  if (!mode) return;
  function num(name, fallback) {
    var v = parseInt(body.getAttribute("data-" + name), 10);
    return isFinite(v) ? v : fallback;
  }
  var cfg = {
    scan: num("scan-ms", 1500), first: num("first-ms", 2250), loops: num("loops", 3),
    accept: num("accept-ms", 0), longHold: num("long-hold-ms", 2000),
    dwell: num("dwell-ms", 1200), refractory: num("refractory-ms", 1000),
    speak: body.getAttribute("data-read-aloud") === "on"
  };
  var lang = document.documentElement.getAttribute("lang") || "en";
  var ours = false; // a click this script makes itself (it must not be held back)

  function now() { return window.performance ? performance.now() : Date.now(); }
  function visible(el) { return el.getClientRects().length > 0 && !el.closest("[hidden]"); }
  function words(el) {
    var legend = el.tagName === "FIELDSET" ? el.querySelector("legend") : null;
    var label = el.tagName === "INPUT" ? el.closest("label") : null;
    // A group without a legend (a card's exercises) is named by its label, not all its text.
    var named = el.getAttribute("data-scan") === "group" && !legend && el.getAttribute("aria-label");
    var text = named || (legend || label || el).innerText || el.getAttribute("aria-label") || "";
    return text.replace(/\s+/g, " ").trim();
  }
  // Read aloud: the action's visible words, in the page's language (zh-CN or en).
  function say(el) {
    if (!cfg.speak || !el || !("speechSynthesis" in window)) return;
    var text = words(el);
    if (!text) return;
    window.speechSynthesis.cancel();
    var u = new SpeechSynthesisUtterance(text);
    u.lang = lang;
    window.speechSynthesis.speak(u);
  }
  function activate(el) {
    ours = true;
    try { el.click(); } finally { ours = false; }
  }

  if (mode === "scan" && document.querySelector("[data-scan]")) {
    scanning(!document.querySelector("main [data-scan]"));
  }
  else if (mode === "dwell") dwelling();
  else if (cfg.speak) document.addEventListener("focusin", function (e) { say(e.target); });

  function scanning(formPage) {
    var levels = []; // the top level, then an opened group: {items, index, start, rounds}
    var timer = null, holdTimer = null;
    var press = null; // {at, item, long}
    var stopped = false, steps = 0;
    var mark = document.createElement("div");
    mark.className = "scan-mark";
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "▶";
    var bar = document.createElement("div");
    bar.className = "scan-bar";
    bar.hidden = true;
    var note = document.createElement("p");
    note.setAttribute("role", "status");
    var again = document.createElement("button");
    again.type = "button";
    again.className = "done scan-again";
    again.textContent = body.getAttribute("data-t-start") || "▶";
    if (formPage) again.addEventListener("click", function () { begin(); });
    bar.appendChild(note);
    bar.appendChild(again);
    body.appendChild(mark);
    body.appendChild(bar);

    function topItems() {
      var all = [].filter.call(document.querySelectorAll("[data-scan]"), function (el) {
        var outer = el.parentElement && el.parentElement.closest("[data-scan='group']");
        return !outer && visible(el);
      });
      var last = all.filter(function (el) { return el.hasAttribute("data-scan-last"); });
      return all.filter(function (el) { return last.indexOf(el) < 0; }).concat(last);
    }
    function groupItems(group) {
      var found = group.querySelectorAll(
        "a[href], button:not([disabled]), input[type=radio], input[type=checkbox], summary");
      return [].filter.call(found, function (el) {
        return visible(el.tagName === "INPUT" ? (el.closest("label") || el) : el);
      });
    }
    function level() { return levels[levels.length - 1]; }
    function current() { var l = level(); return l ? l.items[l.index] : null; }
    function shown(el) { return el.tagName === "INPUT" ? (el.closest("label") || el) : el; }

    function highlight() {
      var el = current();
      [].forEach.call(document.querySelectorAll(".scan-hl, .scan-chosen"), function (o) {
        o.classList.remove("scan-hl", "scan-chosen");
      });
      if (!el) return;
      var box = shown(el);
      box.classList.add("scan-hl");
      if (el.getAttribute("data-scan") === "group" && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus({ preventScroll: true }); // screen readers and voice control follow the highlight
      box.scrollIntoView({ block: "nearest" });
      place(box);
      steps += 1;
      body.setAttribute("data-scan-step", String(steps));
      say(el);
    }
    function place(box) {
      var r = box.getBoundingClientRect();
      mark.hidden = false;
      // At the frame's top right corner: a fieldset's legend and a link's words start at the left.
      mark.style.top = (r.top + window.scrollY - 10) + "px";
      mark.style.left = Math.max(0, Math.min(r.right + 10, document.documentElement.clientWidth) + window.scrollX - mark.offsetWidth) + "px";
    }
    function schedule() {
      clearTimeout(timer);
      var l = level();
      if (!l || stopped) return;
      timer = setTimeout(advance, l.index === l.start ? cfg.first : cfg.scan);
    }
    function advance() {
      var l = level();
      if (!l.items.length) return stop();
      l.index = (l.index + 1) % l.items.length;
      if (l.index === l.start) {
        l.rounds += 1;
        if (l.rounds >= cfg.loops) {
          if (levels.length > 1) { levels.pop(); highlight(); schedule(); return; }
          return stop();
        }
      }
      highlight();
      schedule();
    }
    function begin() {
      var items = topItems();
      stopped = false;
      bar.hidden = true;
      body.classList.remove("scan-stopped");
      if (!items.length) return;
      var start = items.findIndex(function (el) { return el.hasAttribute("data-scan-start"); });
      levels = [{ items: items, index: Math.max(0, start), start: Math.max(0, start), rounds: 0 }];
      highlight();
      schedule();
    }
    function stop(quiet) {
      clearTimeout(timer);
      stopped = true;
      levels = [];
      [].forEach.call(document.querySelectorAll(".scan-hl, .scan-chosen"), function (o) {
        o.classList.remove("scan-hl", "scan-chosen");
      });
      mark.hidden = true;
      note.textContent = body.getAttribute(formPage ? "data-t-form" : "data-t-stopped") || "";
      bar.hidden = false;
      body.classList.add("scan-stopped"); // room below the page for the bar
      if (!quiet) again.focus({ preventScroll: true }); // never away from a field being filled
    }
    // On a form page a switch key on one of the form's own controls is that control's.
    function theForms(t) { return formPage && t && t.closest && !!t.closest("main"); }
    function openGroup(group) {
      var items = groupItems(group);
      if (!items.length) return;
      var checked = items.findIndex(function (el) { return el.checked; });
      levels.push({ items: items, index: Math.max(0, checked), start: Math.max(0, checked), rounds: 0 });
    }
    function select(el) {
      if (el.getAttribute("data-scan") === "group") {
        openGroup(el);
      } else if (el.type === "radio" || el.type === "checkbox") {
        activate(el);
        if (el.type === "radio" && levels.length > 1) { // chosen: on to the next question
          levels.pop();
          var l = level();
          l.index = (l.index + 1) % l.items.length;
        }
      } else { // a button or link: it stays marked while its page loads (or a call starts)
        shown(el).classList.add("scan-chosen");
        activate(el);
        schedule();
        return;
      }
      highlight();
      schedule();
    }
    function back() {
      if (levels.length > 1) levels.pop();
      else { var l = level(); l.index = (l.index - 1 + l.items.length) % l.items.length; }
      highlight();
    }
    function pressed() {
      if (press) return;
      clearTimeout(timer); // the highlight stays put while the switch is down
      press = { at: now(), item: current(), long: false };
      holdTimer = setTimeout(function () {
        if (!press || stopped) return;
        press.long = true;
        back();
      }, cfg.longHold);
    }
    function released(cancelled) {
      if (!press) return;
      var held = now() - press.at, p = press;
      press = null;
      clearTimeout(holdTimer);
      if (cancelled || p.long || held < cfg.accept) { if (!stopped) schedule(); return; }
      if (stopped) return begin();
      if (p.item) select(p.item);
    }
    function isSwitchKey(e) { return e.key === " " || e.key === "Enter" || e.code === "Space" || e.code === "NumpadEnter"; }
    function editing(t) { return t && (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && !/^(radio|checkbox|button|submit)$/.test(t.type))); }
    window.addEventListener("keydown", function (e) {
      if (!isSwitchKey(e) || editing(e.target) || theForms(e.target)) return;
      e.preventDefault(); // no page scroll on Space, no activation of the focused control by the browser
      e.stopPropagation();
      if (!e.repeat) pressed(); // a held key's autorepeat is one press
    }, true);
    window.addEventListener("keyup", function (e) {
      if (!isSwitchKey(e) || editing(e.target) || theForms(e.target)) return;
      e.preventDefault();
      e.stopPropagation();
      released(false);
    }, true);
    window.addEventListener("resize", function () { var el = current(); if (el && !stopped) place(shown(el)); });
    window.addEventListener("pageshow", function (e) { if (e.persisted && !formPage) begin(); });
    if (formPage) {
      // The helper's pointer or keyboard on the form: the scan gives way at once.
      document.addEventListener("pointerdown", function (e) {
        if (theForms(e.target) && !stopped) stop(true);
      }, true);
      // While a field of the form has the focus the bar steps aside: on a phone the keyboard
      // leaves little room, and the bar would cover the very field being typed in.
      document.addEventListener("focusin", function (e) {
        if (!theForms(e.target)) return;
        if (!stopped) stop(true);
        bar.hidden = true;
        body.classList.remove("scan-stopped");
      });
      document.addEventListener("focusout", function (e) {
        if (!theForms(e.target) || !stopped) return;
        setTimeout(function () { // unless the focus only moved to the next field
          if (theForms(document.activeElement) || !stopped) return;
          bar.hidden = false;
          body.classList.add("scan-stopped");
        }, 0);
      });
      return stop(true);
    }
    // A tap or click anywhere is the switch: it selects the highlighted action, never the one
    // under the finger (that one's own click is held back).
    document.addEventListener("pointerdown", function (e) {
      if (!e.isPrimary || e.button > 0) return;
      pressed();
    }, true);
    document.addEventListener("pointerup", function (e) { if (e.isPrimary) released(false); }, true);
    document.addEventListener("pointercancel", function () { released(true); }, true); // a scroll
    document.addEventListener("click", function (e) {
      if (ours) return;
      e.preventDefault();
      e.stopPropagation();
    }, true);
    document.addEventListener("contextmenu", function (e) { e.preventDefault(); }, true);
    begin();
  }

  function dwelling() {
    var ACTIONS = "a[href], button:not([disabled]), summary, input[type=radio], input[type=checkbox], label";
    var ring = document.createElement("div");
    ring.className = "dwell-ring";
    ring.setAttribute("aria-hidden", "true");
    ring.hidden = true;
    var NS = "http://www.w3.org/2000/svg", R = 22, C = 2 * Math.PI * R;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 56 56");
    var track = document.createElementNS(NS, "circle");
    var fill = document.createElementNS(NS, "circle");
    [track, fill].forEach(function (c) {
      c.setAttribute("cx", "28"); c.setAttribute("cy", "28"); c.setAttribute("r", String(R));
      svg.appendChild(c);
    });
    track.setAttribute("class", "track");
    fill.setAttribute("class", "fill");
    fill.setAttribute("stroke-dasharray", String(C));
    ring.appendChild(svg);
    body.appendChild(ring);
    var target = null, started = 0, timer = null, frame = 0;
    var spent = null, quietUntil = 0; // the action just activated, and the refractory time
    // A page just loaded under a gaze that stays put: whatever action now lies under it (the
    // Undo that replaced the Done just dwelt on) is not chosen; it must be left first.
    var fresh = true;

    function actionAt(node) {
      var el = node && node.closest ? node.closest(ACTIONS) : null;
      if (!el) return null;
      if (el.tagName === "LABEL") {
        var input = el.querySelector("input[type=radio], input[type=checkbox]");
        if (!input && !el.htmlFor) return null;
      }
      return el;
    }
    function cancel() {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      if (target) target.classList.remove("dwell-on");
      target = null;
      ring.hidden = true;
      body.removeAttribute("data-dwell-progress");
    }
    function draw() {
      if (!target) return;
      var p = Math.min(1, (now() - started) / cfg.dwell);
      fill.setAttribute("stroke-dashoffset", String(C * (1 - p)));
      body.setAttribute("data-dwell-progress", String(Math.round(p * 100)));
      if (p < 1) frame = requestAnimationFrame(draw);
    }
    function start(el) {
      target = el;
      started = now();
      el.classList.add("dwell-on");
      var r = el.getBoundingClientRect();
      // On the action's left edge, half outside it: over its padding, never over its words.
      ring.style.top = (r.top + window.scrollY + r.height / 2 - 22) + "px";
      ring.style.left = Math.max(0, r.left + window.scrollX - 22) + "px";
      ring.hidden = false;
      draw();
      say(el);
      timer = setTimeout(function () {
        var done = target;
        cancel();
        spent = done;
        quietUntil = now() + cfg.refractory;
        activate(done);
      }, cfg.dwell);
    }
    document.addEventListener("pointermove", function (e) {
      if (e.pointerType === "touch") return; // a finger resting on the screen is not a gaze
      var el = actionAt(e.target);
      // The first action met on a page just opened is not chosen until the pointer has left
      // it: the first move's own distance cannot tell (Chrome reports none), and a gaze at
      // rest jitters.
      if (fresh) { fresh = false; spent = el; }
      if (spent && el !== spent) spent = null; // left the action just activated (or blocked)
      if (el === target) return;
      cancel();
      if (!el || el === spent || now() < quietUntil) return;
      start(el);
    }, true);
    document.addEventListener("pointerleave", cancel);
    window.addEventListener("scroll", function () { if (target) cancel(); }, { passive: true });
    window.addEventListener("pageshow", function (e) { if (e.persisted) { cancel(); fresh = true; } });
  }
})();
