// The outbox of the patient's logs, kept in IndexedDB until the server has them (docs/offline.md).
// Shared by the page (outbox.js) and the service worker (sw.js, for Background Sync): no DOM here.
//
// An entry: {id (the client id, sent as idempotency_key), user (whose it is), url, fields
// ([name, value] pairs of the form), performed_at, red_flag, label, queued_at, refused}.
// An entry is dropped only when the server stored it (2xx) or refused it for good (a 4xx that
// is not "sign in again"); then `refused` keeps the reason until a page has shown it.
(function (root) {
  "use strict";
  var DB = "alsrx-outbox";
  var ENTRIES = "entries";
  var META = "meta";
  var TIMEOUT_MS = 20000; // a connection that answers nothing counts as none

  function open() {
    return new Promise(function (resolve, reject) {
      var req = root.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: "id" });
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var req = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run(ENTRIES, "readonly", function (s) { return s.getAll(); }); }

  // This user's entries still to send: red flags first, then in the order they were made.
  function waiting(user) {
    return all().then(function (rows) {
      return rows
        .filter(function (e) { return e.user === user && !e.refused; })
        .sort(function (a, b) {
          if (a.red_flag !== b.red_flag) return a.red_flag ? -1 : 1;
          return a.queued_at < b.queued_at ? -1 : a.queued_at > b.queued_at ? 1 : 0;
        });
    });
  }

  function refusedOf(user) {
    return all().then(function (rows) {
      return rows.filter(function (e) { return e.user === user && e.refused; });
    });
  }

  function put(entry) { return run(ENTRIES, "readwrite", function (s) { return s.put(entry); }); }
  function remove(id) { return run(ENTRIES, "readwrite", function (s) { return s.delete(id); }); }

  // The signed-in user and the CSRF token of the last page they opened, for the worker.
  function remember(user, csrf) {
    return run(META, "readwrite", function (s) { return s.put({ key: "session", user: user, csrf: csrf }); });
  }
  function forget() { return run(META, "readwrite", function (s) { return s.delete("session"); }); }
  // The key a page rendered into its form, once: a copy of the page shown again from the
  // worker's cache carries the same key, and a second log made from it is a new log.
  function claimKey(key) {
    if (!key) return Promise.resolve(false);
    return run(META, "readonly", function (s) { return s.get("keys"); }).then(function (row) {
      var used = (row && row.used) || [];
      if (used.indexOf(key) >= 0) return false;
      used = used.concat([key]).slice(-500);
      return run(META, "readwrite", function (s) { return s.put({ key: "keys", used: used }); })
        .then(function () { return true; });
    });
  }
  function session() { return run(META, "readonly", function (s) { return s.get("session"); }); }

  function body(entry, csrf) {
    var data = new URLSearchParams();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.set("csrf", csrf); // the current page's token: a new sign-in makes a new one
    data.set("idempotency_key", entry.id);
    data.set("performed_at", entry.performed_at);
    return data;
  }

  // One entry to the server. The outcome: "stored" (2xx), "refused" (a definitive 4xx), "wait"
  // (401: sign in again or open a fresh page), "retry" (no connection, a timeout, 408, 425,
  // 429, 5xx, or an answer that is not ours).
  function send(entry, csrf) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    return fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Alsrx-Outbox": "1", Accept: "application/json" },
      body: body(entry, csrf),
      signal: ctrl ? ctrl.signal : undefined,
    }).then(function (res) {
      clearTimeout(timer);
      return res.json().catch(function () { return null; }).then(function (doc) {
        return { outcome: outcome(res.status, doc), status: res.status, doc: doc || {} };
      });
    }, function () {
      clearTimeout(timer);
      return { outcome: "retry", status: 0, doc: {} };
    });
  }

  function outcome(status, doc) {
    if (status >= 200 && status < 300) return doc && doc.next ? "stored" : "retry";
    if (status === 401) return "wait";
    if (status === 408 || status === 425 || status === 429 || status >= 500 || status < 200) return "retry";
    return doc && doc.error ? "refused" : "retry"; // a 4xx without our answer: a proxy, not us
  }

  // Send this user's waiting entries in order; stop at the first that must wait or be retried
  // (the next would meet the same). Returns {results: {id: result}, sent, blocked}.
  function replay(user, csrf) {
    var work = function () {
      return waiting(user).then(function (entries) {
        var report = { results: {}, sent: 0, blocked: null };
        var step = function (i) {
          if (i >= entries.length) return report;
          var entry = entries[i];
          return send(entry, csrf).then(function (result) {
            report.results[entry.id] = result;
            if (result.outcome === "stored") {
              report.sent += 1;
              return remove(entry.id).then(function () { return step(i + 1); });
            }
            if (result.outcome === "refused") {
              entry.refused = result.doc.error;
              return put(entry).then(function () { return step(i + 1); });
            }
            report.blocked = result.outcome === "wait" ? (result.doc.error || {}).code || "sign_in" : "retry";
            return report;
          });
        };
        return step(0);
      });
    };
    // One sender at a time across the page and the worker (a second would only be a replay).
    if (root.navigator && root.navigator.locks) return root.navigator.locks.request("alsrx-outbox", work);
    return work();
  }

  root.AlsrxOutbox = {
    put: put,
    remove: remove,
    waiting: waiting,
    refusedOf: refusedOf,
    remember: remember,
    forget: forget,
    session: session,
    claimKey: claimKey,
    replay: replay,
  };
})(self);
