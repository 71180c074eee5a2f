// Starts Swagger UI for the API docs page. A static file rather than the inline
// script drf-spectacular would write, so the page runs under script-src 'self'.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrfToken = root.getAttribute("data-csrf-token");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Deep links put an <a> inside each operation's toggle button (nested controls).
    deepLinking: false,
    persistAuthorization: false,
    // No badge from validator.swagger.io: nothing leaves this site.
    validatorUrl: null,
    requestInterceptor: function (request) {
      // Session requests that change data need the CSRF token; token requests ignore it.
      if (csrfToken && request.method && request.method !== "GET") {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    }
  });
})();
