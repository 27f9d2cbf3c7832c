/* CKEditor's custom config (settings.CKEDITOR_CONFIGS "customConfig"): uploads carry Django's
   CSRF token. The editor uploads with XMLHttpRequest and sends these headers with each file;
   the token is the one Django put in the admin form around the editor. */
/* global CKEDITOR */
CKEDITOR.editorConfig = function (config) {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]")
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="))
  const token = field ? field.value : cookie ? cookie.split("=")[1] : ""
  config.fileTools_requestHeaders = Object.assign({}, config.fileTools_requestHeaders, {
    "X-CSRFToken": token,
    "X-Requested-With": "XMLHttpRequest",
  })
}
