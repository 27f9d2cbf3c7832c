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

  // When the server cannot take the text (an expired login answers with the login page, or
  // the network is down), a copy stays in this browser and is offered when the form reopens.
  var storageKey = "newsroom-autosave:" + (config.article || "new");
  var versionInput = form.querySelector("[name=loaded_version]");
  var loadedVersion = versionInput ? versionInput.value : "";

  function remember(data) {
    var fields = {};
    data.forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && key !== "article") {
        (fields[key] = fields[key] || []).push(value);
      }
    });
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ version: loadedVersion, data: fields }));
    } catch (error) { /* storage full or disabled: nothing more to do */ }
  }

  function forget() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (error) { /* storage disabled */ }
  }

  // The article screen (article_screen.js) shows the autosave's state from these events.
  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
  }

  function failed(data) {
    dirty = true;
    remember(data);
    announce("workflow:autosave-failed");
    var warning = document.getElementById("workflow-offline");
    if (warning) {
      warning.hidden = false;
    }
  }

  function autosave() {
    if (!dirty || submitting) {
      return;
    }
    dirty = false;
    var data = formData();
    post(config.autosave, data).then(function (response) {
      if (response.ok && !response.redirected) {
        forget();
        response.json().then(function (result) {
          announce("workflow:autosaved", { savedAt: result.saved_at });
        }, function () {
          announce("workflow:autosaved", { savedAt: new Date().toISOString() });
        });
        var warning = document.getElementById("workflow-offline");
        if (warning) {
          warning.hidden = true;
        }
      } else {
        failed(data);
      }
    }, function () {
      failed(data);
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
    if (dirty && !submitting) {
      var data = formData();
      remember(data);
      if (navigator.sendBeacon) {
        navigator.sendBeacon(config.autosave, data);
      }
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

  function offer(banner, fields) {
    if (!banner) {
      return;
    }
    banner.hidden = false;
    banner.querySelector(".workflow-restore").addEventListener("click", function () {
      Object.keys(fields).forEach(function (name) {
        setField(name, fields[name]);
      });
      banner.hidden = true;
      dirty = true;
    });
    banner.querySelector(".workflow-discard").addEventListener("click", function () {
      var data = new FormData();
      data.append("article", config.article || "");
      data.append("discard", "1");
      data.append("csrfmiddlewaretoken", csrfToken());
      post(config.autosave, data);
      forget();
      banner.hidden = true;
    });
  }

  var saved = document.getElementById("workflow-autosave-data");
  var local = null;
  try {
    local = JSON.parse(window.localStorage.getItem(storageKey) || "null");
  } catch (error) { /* storage disabled or unreadable */ }
  if (saved) {
    offer(document.getElementById("workflow-autosave"), JSON.parse(saved.textContent));
  } else if (local && local.data && local.version === loadedVersion) {
    // Kept in the browser only, and the article has not been saved since.
    offer(document.getElementById("workflow-local-autosave"), local.data);
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
