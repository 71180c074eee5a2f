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
  // French writes the first of a month "1er", which Intl does not: the day part is
  // replaced on that day alone, as the server does for its own dates.
  var isFrench = /^fr\b/i.test(format.resolvedOptions().locale);

  function write(when) {
    if (!isFrench || !format.formatToParts) {
      return format.format(when);
    }
    return format
      .formatToParts(when)
      .map(function (part) {
        return part.type === "day" && part.value === "1" ? "1er" : part.value;
      })
      .join("");
  }

  document.querySelectorAll("time[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      return;
    }
    element.title = element.textContent;
    element.textContent = write(when);
  });
})();
