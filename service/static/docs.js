// Starts Swagger UI on the service's own OpenAPI document; no asset comes from the internet.
window.ui = SwaggerUIBundle({
  url: "/schema/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null, // the default badge would call an outside validator
});
