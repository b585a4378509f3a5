// Starts Swagger UI on /api/docs. A file, not an inline script, so the page keeps the
// self-only Content-Security-Policy.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
