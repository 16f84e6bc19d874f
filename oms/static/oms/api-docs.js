// Starts Swagger UI on the API docs page from the settings the page holds (a JSON script element),
// so the page needs no inline script and runs under the service's Content Security Policy.
const settings = JSON.parse(document.getElementById('swagger-settings').textContent)
const csrfToken = settings.csrfToken
delete settings.csrfToken
window.ui = window.SwaggerUIBundle({
  ...settings,
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  // "Try it out" with the signed-in session: Django's CSRF check needs the token on every write.
  requestInterceptor: (request) => {
    request.headers['X-CSRFToken'] = csrfToken
    return request
  }
})
