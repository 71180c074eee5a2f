// Reloads a page that shows a background job until the job is done.
// Pages work without it: they also offer a "Refresh now" link.
(function () {
  "use strict";
  var marker = document.querySelector("[data-poll-seconds]");
  if (!marker) {
    return;
  }
  var seconds = parseInt(marker.getAttribute("data-poll-seconds"), 10) || 2;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
