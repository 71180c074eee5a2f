// Shows every <time data-local-time> in the reader's own time zone and language
// ("28 novembre 2026 à 12 h 05 HNE"); the server's UTC text stays as the tooltip.
// Without JavaScript, or without Intl, the UTC time shows as written.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var format;
  try {
    format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    });
  } catch (error) {
    return;
  }
  document.querySelectorAll("time[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      return;
    }
    element.title = element.textContent;
    element.textContent = format.format(when);
  });
})();
