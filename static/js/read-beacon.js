// Count one read of this article: a body-less POST, no cookie, nothing about the reader.
// Runs in the reader's browser, so reads count even when the page came from a cache.
(function () {
  "use strict";
  var article = document.querySelector("[data-read-beacon]");
  if (!article) { return; }
  var url = article.getAttribute("data-read-beacon");
  if (navigator.sendBeacon && navigator.sendBeacon(url)) { return; }
  if (window.fetch) {
    fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
  }
})();
