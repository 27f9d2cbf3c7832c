/* The article form's share of the workflow: autosave, restoring an autosave, and telling
   the server (and the editor) who else has the article open. Plain script, no build step. */
(function () {
  "use strict";
  var configElement = document.getElementById("workflow-config");
  var form = document.getElementById("article_form");
  if (!configElement || !form) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var dirty = false;
  var submitting = false;
  var SKIPPED = /(^csrfmiddlewaretoken$|^loaded_version$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$)/;

  function csrfToken() {
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function syncEditors() {
    if (window.CKEDITOR) {
      Object.keys(window.CKEDITOR.instances).forEach(function (name) {
        window.CKEDITOR.instances[name].updateElement();
      });
    }
  }

  function formData() {
    syncEditors();
    var data = new FormData();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && !SKIPPED.test(key)) {
        data.append(key, value);
      }
    });
    data.append("article", config.article || "");
    data.append("csrfmiddlewaretoken", csrfToken());
    return data;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    });
  }

  function autosave() {
    if (!dirty || submitting) {
      return;
    }
    dirty = false;
    post(config.autosave, formData()).then(function (response) {
      if (!response.ok) {
        dirty = true;
      }
    }, function () {
      dirty = true;
    });
  }

  function markDirty() {
    dirty = true;
  }

  form.addEventListener("input", markDirty);
  form.addEventListener("change", function () {
    markDirty();
    window.setTimeout(autosave, 2000);
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });
  if (window.CKEDITOR) {
    window.CKEDITOR.on("instanceReady", function (event) {
      event.editor.on("change", markDirty);
    });
  }
  window.setInterval(autosave, (config.interval || 20) * 1000);
  // A closed tab still sends what was typed since the last autosave.
  window.addEventListener("pagehide", function () {
    if (dirty && !submitting && navigator.sendBeacon) {
      navigator.sendBeacon(config.autosave, formData());
    }
  });

  // Restoring an autosave puts its values back into the fields that exist on the form.
  function setField(name, values) {
    if (name === "body" && window.CKEDITOR && window.CKEDITOR.instances.id_body) {
      window.CKEDITOR.instances.id_body.setData(values[0] || "");
      return;
    }
    var elements = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
    elements.forEach(function (element) {
      if (element.type === "file") {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
        element.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        element.value = values[0] || "";
      }
    });
  }

  var banner = document.getElementById("workflow-autosave");
  var saved = document.getElementById("workflow-autosave-data");
  if (banner && saved) {
    document.getElementById("workflow-autosave-restore").addEventListener("click", function () {
      var data = JSON.parse(saved.textContent);
      Object.keys(data).forEach(function (name) {
        setField(name, data[name]);
      });
      banner.hidden = true;
      dirty = true;
    });
    document.getElementById("workflow-autosave-discard").addEventListener("click", function () {
      var data = new FormData();
      data.append("article", config.article || "");
      data.append("discard", "1");
      data.append("csrfmiddlewaretoken", csrfToken());
      post(config.autosave, data);
      banner.hidden = true;
    });
  }

  // "Being edited by": ping once a minute and show who else has the article open.
  var presence = document.getElementById("workflow-presence");
  if (config.presence && presence) {
    window.setInterval(function () {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      post(config.presence, data).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (result) {
        if (result) {
          document.getElementById("workflow-presence-names").textContent = result.others.join("، ");
          presence.hidden = result.others.length === 0;
        }
      }, function () {});
    }, 60000);
  }
}());
