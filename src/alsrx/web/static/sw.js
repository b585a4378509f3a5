// The alsrx service worker (served at /sw.js; docs/offline.md).
// - /static/ assets: cache first, in a cache named after the assets' version, so that a new
//   release (a new /sw.js) brings new assets and drops the old ones.
// - The patient's pages (Today, the details forms, advice, My weeks): network first; the copy
//   of the last answer is shown when there is no connection. Only GET 200 answers of these
//   pages are kept, never /api/ nor any other page, and all of them go at sign-out.
// - Background Sync (Chromium): sends the outbox (outbox-store.js) when the connection
//   returns, even with no page open. Pages send it too, at start-up and on `online`.
importScripts("/static/outbox-store.js");

var VERSION = "%ASSETS_VERSION%"; // filled in by web/pages/offline.py
var STATIC = "alsrx-static-" + VERSION;
var PAGES = "alsrx-pages";
var PRECACHE = [
  "/static/app.css",
  "/static/app.js",
  "/static/outbox.js",
  "/static/outbox-store.js",
  "/static/icons/icon-192.png",
];
var OFFLINE = "alsrx: offline. This page is not saved on this device. / 离线：此页面未保存在本设备上。";

function isPatientPage(url) {
  var p = url.pathname;
  return p === "/today" || p === "/today/details" || p === "/today/advice" || p === "/history";
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (c) { return c.addAll(PRECACHE); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("alsrx-static-") === 0 && n !== STATIC;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromCacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (res) {
        if (res.ok) cache.put(request, res.clone());
        return res;
      });
    });
  });
}

// A page kept longer than a session lasts (12 hours) is not shown offline: a lost or revoked
// device must not keep showing the patient's plan for ever.
var KEPT_FOR_MS = 12 * 60 * 60 * 1000;

function keep(request, res) {
  var url = new URL(res.url || request.url);
  // Signed out, expired or revoked: navigations follow no redirect here (an opaque one), the
  // warm-up fetches do (to /login). Either way the patient's pages go.
  if (res.type === "opaqueredirect" || (res.redirected && url.pathname === "/login")) {
    return caches.delete(PAGES);
  }
  var html = (res.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  if (res.status !== 200 || res.redirected || !html) return Promise.resolve();
  return caches.open(PAGES).then(function (c) { return c.put(request, res); });
}

function fromNetworkFirst(request) {
  return fetch(request).then(function (res) {
    keep(request, res.clone());
    return res;
  }, function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(request).then(function (hit) {
        // Today of another day or patient is better than nothing; a details form never is.
        if (hit || new URL(request.url).pathname !== "/today") return hit;
        return cache.match("/today", { ignoreSearch: true });
      }).then(function (hit) {
        var when = hit ? Date.parse(hit.headers.get("Date") || "") : NaN;
        if (hit && !(Date.now() - when < KEPT_FOR_MS)) {
          return cache.delete(hit.url || request).then(function () { return undefined; });
        }
        return hit;
      });
    }).then(function (hit) { return hit || offlineAnswer(request); });
  });
}

// No connection, and the page asked for is not kept here: a page opened by hand goes to Today
// as last kept (saying why), where the switch scan and the outbox work, rather than to the
// browser's own error page, which a switch user cannot leave. Today itself, or a device with
// no Today kept (a clinician's), gets the plain answer.
function offlineAnswer(request) {
  var plain = function () {
    return new Response(OFFLINE, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  };
  if (request.mode !== "navigate" || new URL(request.url).pathname === "/today") return Promise.resolve(plain());
  return caches.open(PAGES).then(function (cache) {
    return cache.match("/today", { ignoreSearch: true });
  }).then(function (hit) {
    var when = hit ? Date.parse(hit.headers.get("Date") || "") : NaN;
    return Date.now() - when < KEPT_FOR_MS ? Response.redirect("/today?offline=1", 303) : plain();
  });
}

// Any other page opened by hand: the network, and without one the answer above. Never kept.
function navigation(request) {
  return fetch(request).catch(function (err) {
    return offlineAnswer(request).then(function (res) {
      if (res.status === 503) throw err; // the browser's own page, as without the worker
      return res;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (url.pathname.indexOf("/static/") === 0) event.respondWith(fromCacheFirst(request));
  else if (isPatientPage(url)) event.respondWith(fromNetworkFirst(request));
  else if (request.mode === "navigate") event.respondWith(navigation(request));
});

// The page names the pages it links to (each card's details form, My weeks), so that they
// open offline even if never opened before.
function warm(urls) {
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(urls.slice(0, 20).map(function (u) {
      var url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin || !isPatientPage(url)) return null;
      // Never following a redirect: signed out, a warm-up fetch must not fetch the sign-in page
      // (its answer sets a new sign-in nonce cookie, and the form on screen would then fail).
      return fetch(url.href, { credentials: "same-origin", redirect: "manual" }).then(function (res) {
        return keep(new Request(url.href), res);
      }, function () { return null; });
    }));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "warm" && Array.isArray(data.urls)) event.waitUntil(warm(data.urls));
  if (data.type === "signed-out") event.waitUntil(caches.delete(PAGES));
});

function replayFromWorker() {
  return self.AlsrxOutbox.session().then(function (s) {
    if (!s) return null;
    return self.AlsrxOutbox.replay(s.user, s.csrf).then(function (report) {
      return self.clients.matchAll({ type: "window" }).then(function (wins) {
        wins.forEach(function (w) { w.postMessage({ type: "outbox-replayed", sent: report.sent }); });
        if (report.blocked === "retry") throw new Error("outbox: try again later"); // sync retries
      });
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "alsrx-outbox") event.waitUntil(replayFromWorker());
});
