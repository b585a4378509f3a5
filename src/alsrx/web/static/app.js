// Progressive enhancement only: every page works without this file.
// Assessment entry: show the derived values (total, domains, stages, ΔFRS, % predicted) live.
(function () {
  var form = document.querySelector("form[data-preview]");
  if (!form) return;
  var out = document.getElementById("derived");
  var timer = null;
  function update() {
    var data = new FormData(form);
    fetch(form.getAttribute("data-preview"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) out.innerHTML = html; })
      .catch(function () {});
  }
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 400); });
})();

// After a tap on "Done as planned" the page comes back at #c-next, the next card to log (the
// browser scrolls there by itself, so this works without the script): move the keyboard focus
// there as well, so a keyboard or switch user goes on from the next card, not from the top.
(function () {
  if (window.location.hash !== "#c-next") return;
  var next = document.getElementById("c-next");
  if (!next) return;
  next.focus({ preventScroll: true });
  next.scrollIntoView({ block: "start" });
})();

// Printing: a folded <details> (an exercise's steps, a piece of evidence) prints open, then
// folds again. app.css prints them open by itself where the browser can style their content.
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [].filter.call(document.querySelectorAll("main details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

// The sign-in page: whoever was signed in here is no longer, so the patient pages the offline
// worker kept (sw.js) go, before another person signs in on this device. The unsent outbox
// entries stay: each is sent only by its own user (outbox.js).
(function () {
  if (window.location.pathname.indexOf("/login") !== 0 || !window.caches) return;
  caches.delete("alsrx-pages").catch(function () {});
})();
