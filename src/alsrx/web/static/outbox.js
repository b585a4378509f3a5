// The patient's logs survive a lost connection (docs/offline.md). Progressive enhancement: without
// this file the forms post as before. Every text comes from the page (#outbox-config, rendered
// in the user's language by _outbox.html); none is written here.
//
// A log form (form[data-outbox]) is kept in IndexedDB first (outbox-store.js), then sent from
// this page (the page's own fetches are what a browser's offline state governs). Its client id,
// made once per form and page view, is the idempotency key: a double tap stores once. Entries
// waiting are sent, red flags first, at start-up, on `online`, after a backoff, and by the
// service worker's Background Sync where the browser has it.
(function () {
  "use strict";
  var store = window.AlsrxOutbox;
  var configNode = document.getElementById("outbox-config");
  if (!store || !configNode || !window.indexedDB || !window.fetch) return;
  var cfg = JSON.parse(configNode.textContent);
  var W = cfg.words;
  var box = document.getElementById("outbox");
  var count = document.getElementById("outbox-waiting");
  var retryDelay = 5000;
  var retryTimer = null;
  var sending = null;
  var waitingNow = 0;
  var lastWaiting = []; // the entries last counted, to know what a replay has just sent
  var sentHere = []; // entries of earlier page views sent while this page was open

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  // The moment of the tap in ISO 8601 with the device's UTC offset (2026-12-03T09:30:00+08:00).
  function nowWithOffset() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }

  function note(kind, lines, focus) {
    var div = document.createElement("div");
    div.className = kind === "alert" ? "alarm outbox-note" : "notice outbox-note";
    div.setAttribute("role", kind);
    div.tabIndex = -1;
    lines.forEach(function (line) {
      var p = document.createElement("p");
      if (line.href) {
        var a = document.createElement("a");
        a.href = line.href;
        a.className = "button";
        a.textContent = line.text;
        p.appendChild(a);
      } else {
        p.textContent = line;
      }
      div.appendChild(p);
    });
    box.appendChild(div);
    if (focus) { div.focus(); div.scrollIntoView({ block: "start" }); }
    return div;
  }

  function showCount() {
    return store.waiting(cfg.user).then(function (rows) {
      var n = rows.length;
      // A red flag still waiting: its stop advice on every page that has it (Today offline);
      // once sent, the advice stays, saying now that the clinic has been alerted.
      if (rows.some(function (e) { return e.red_flag; })) showRedFlagAdvice(false);
      else alerted();
      waitingNow = n;
      lastWaiting = rows;
      markForms(rows);
      count.textContent = n === 0 ? "" : fill(n === 1 ? W.waiting_one : W.waiting_many, { n: n });
      return n;
    });
  }

  // The time of a tap as the page writes times ("3:44 PM", "15:44"), from its stored moment.
  function timeOf(moment) {
    var at = new Date(moment || "");
    if (isNaN(at.getTime())) return String(moment || "").slice(11, 16);
    var lang = document.documentElement.getAttribute("lang") || "en";
    return at.toLocaleTimeString(lang.indexOf("zh") === 0 ? "zh-CN" : lang, { hour: "numeric", minute: "2-digit" });
  }

  // Each log form with entries of its own still waiting says so beside its button ("Logged on
  // this device at 09:30, not sent yet"): a page shown again from the cache, offline, still
  // has the state it had when it was cached, and a tap made from doubt is a second log.
  function markForms(rows) {
    [].forEach.call(document.querySelectorAll("form[data-outbox]"), function (form) {
      var key = JSON.stringify(fieldsOf(form));
      var mine = function (e) {
        return e.url === form.getAttribute("action") && JSON.stringify(e.fields) === key;
      };
      var times = rows.filter(mine).map(function (e) { return timeOf(e.performed_at); });
      // Sent since this page was drawn: the page does not show it as done, so the mark says so.
      var sent = sentHere.filter(mine).map(function (e) { return timeOf(e.performed_at); });
      var mark = form._waitingMark;
      if (!times.length && !sent.length) { if (mark) { mark.remove(); form._waitingMark = null; } return; }
      if (!mark) {
        mark = document.createElement("p");
        mark.className = "notice outbox-waiting-here";
        mark.setAttribute("role", "status");
        form.parentNode.insertBefore(mark, form);
        form._waitingMark = mark;
      }
      mark.textContent = times.length
        ? fill(W.form_waiting, { times: times.join(", ") })
        : fill(W.form_sent, { times: sent.join(", ") });
    });
  }

  // The stop advice of this page (rendered with the centre's emergency number), at once.
  function showRedFlagAdvice(focus) {
    var tpl = document.getElementById("outbox-redflag");
    if (!tpl) return;
    if (!document.getElementById("outbox-alarm")) box.appendChild(tpl.content.cloneNode(true));
    var alarm = document.getElementById("outbox-alarm");
    if (focus === false) return;
    alarm.focus();
    alarm.scrollIntoView({ block: "start" });
  }

  function alerted() {
    var offline = document.getElementById("outbox-alarm-offline");
    if (offline) offline.textContent = W.alerted;
  }

  function showRefused() {
    return store.refusedOf(cfg.user).then(function (rows) {
      return Promise.all(rows.map(function (e) {
        var reason = [e.refused.message].concat(e.refused.lines || []).filter(Boolean).join(" ");
        note("alert", [fill(W.not_saved, { what: e.label || "", reason: reason })], false);
        return store.remove(e.id);
      }));
    });
  }

  function showBlocked(code) {
    if (document.getElementById("outbox-blocked")) return;
    var lines = code === "retry" ? [W.queued] : [W.sign_in, { href: cfg.sign_in, text: W.sign_in_link }];
    if (code === "stale_form") lines = [W.stale];
    note("status", lines, false).id = "outbox-blocked";
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { replay(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 300000); // up to five minutes between tries
    if (navigator.serviceWorker && window.SyncManager) {
      navigator.serviceWorker.ready.then(function (reg) {
        return reg.sync.register("alsrx-outbox");
      }).catch(function () {});
    }
  }

  // Send what waits; `own`: the entry just made on this page, whose answer this page follows.
  function replay(own) {
    if (sending) return sending.then(function () { return replay(own); });
    sending = store.replay(cfg.user, cfg.csrf).then(function (report) {
      lastWaiting.forEach(function (e) {
        var r = report.results[e.id];
        if (e.id !== own && r && r.outcome === "stored") sentHere.push(e);
      });
      var earlier = report.sent - (own && report.results[own] && report.results[own].outcome === "stored" ? 1 : 0);
      if (earlier > 0) note("status", [fill(earlier === 1 ? W.sent_one : W.sent_many, { n: earlier })], false);
      if (report.blocked === "retry") scheduleRetry();
      else retryDelay = 5000;
      if (report.blocked) showBlocked(report.blocked);
      else if (document.getElementById("outbox-blocked")) document.getElementById("outbox-blocked").remove();
      return showRefused().then(showCount).then(function () { return report; });
    }, function () { return { results: {}, sent: 0, blocked: "retry" }; });
    return sending.then(function (report) { sending = null; return report; });
  }

  // What a log is (the page's token, key and time aside): two forms alike are the same log.
  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf" && name !== "idempotency_key" && name !== "performed_at") fields.push([name, String(value)]);
    });
    return fields;
  }

  function entryOf(form) {
    var fields = fieldsOf(form);
    var sameAsBefore = form._outbox && JSON.stringify(form._outbox.fields) === JSON.stringify(fields);
    if (sameAsBefore) return form._outbox; // a second tap on this page view: the same log
    var red = fields.some(function (f) { return f[0] === "symptoms" && cfg.red_flags.indexOf(f[1]) >= 0; });
    form._outbox = {
      id: newId(),
      user: cfg.user,
      url: form.getAttribute("action"),
      fields: fields,
      performed_at: nowWithOffset(),
      red_flag: red,
      label: form.getAttribute("data-outbox-label") || "",
      queued_at: new Date().toISOString(),
    };
    return form._outbox;
  }

  function submitted(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-outbox]")) return;
    event.preventDefault();
    var entry = entryOf(form);
    var rendered = form.querySelector("input[name=idempotency_key]");
    // The page's own key while this view is its first use (a retry of the plain form and a tap
    // here are then one log); a fresh client id for a copy of the page shown again.
    if (form._keyedFor !== entry) { // once per entry, however fast the second tap comes
      form._keyedFor = entry;
      form._keyed = store.claimKey(rendered && rendered.value).then(function (fresh) {
        if (fresh) entry.id = rendered.value;
      });
    }
    form._keyed.then(function () { return store.put(entry); }).then(function () {
      return replay(entry.id);
    }).then(function (report) {
      var result = report.results[entry.id];
      if (result && result.outcome === "stored") { window.location.assign(result.doc.next); return; }
      // A red flag not yet with the clinic: the stop advice and the emergency number, at once.
      if (entry.red_flag) { showRedFlagAdvice(); return; }
      var said = document.getElementById("outbox-blocked") || box.lastElementChild;
      if (said) { said.focus(); said.scrollIntoView({ block: "start" }); }
    }, function () {
      form.submit(); // no IndexedDB after all (a private window may refuse it): post as before
    });
  }

  function signingOut(event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[action="/logout"]')) return;
    // Entries waiting stay on this device for this user's next sign-in; say so before leaving.
    if (waitingNow > 0 && !window.confirm(fill(W.sign_out_confirm, { n: waitingNow }))) {
      event.preventDefault();
      return;
    }
    store.forget();
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
    if (window.caches) caches.delete("alsrx-pages"); // the page can do it too, and at once
  }

  // The worker keeps this page and the patient pages it links to (each card's details form),
  // so that they open without a connection even if never opened before. Asked of the active
  // worker, not the controller: on the first visit the page is not controlled yet.
  function warmCache(reg) {
    if (!reg || !reg.active) return;
    var here = [window.location.pathname + window.location.search];
    var links = [].map.call(document.querySelectorAll('a[href^="/today"], a[href^="/history"]'), function (a) {
      return a.getAttribute("href");
    });
    reg.active.postMessage({ type: "warm", urls: here.concat(links) });
  }

  // Sent here by the worker: the page chosen could not open without a connection.
  if (/[?&]offline=1(&|$)/.test(window.location.search)) note("status", [W.offline_here], false);

  document.addEventListener("submit", submitted);
  document.addEventListener("submit", signingOut);
  window.addEventListener("online", function () { retryDelay = 5000; replay(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(warmCache).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-replayed") {
        if (event.data.sent > 0) note("status", [fill(event.data.sent === 1 ? W.sent_one : W.sent_many, { n: event.data.sent })], false);
        showCount();
      }
    });
  }
  store.remember(cfg.user, cfg.csrf).then(function () { return replay(); });
})();
