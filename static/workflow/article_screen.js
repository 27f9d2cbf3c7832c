/* The article screen's small helps: the body's word count and reading time, Ctrl+S to save
   a draft without changing the state, and how long ago the text was last autosaved (told by
   article_form.js with a "workflow:autosaved" event). Plain script, no build step. */
(function () {
  "use strict";
  var form = document.getElementById("article_form");
  if (!form) {
    return;
  }
  // A newspaper reader's pace in Arabic prose, words a minute.
  var WORDS_PER_MINUTE = 180;

  // Arabic counted nouns: 1 and 2 have their own forms, 3 to 10 a plural, 11 and up a singular.
  function counted(number, one, two, few, many) {
    if (number === 1) {
      return one;
    }
    if (number === 2) {
      return two;
    }
    var rest = number % 100;
    return number + " " + (rest >= 3 && rest <= 10 ? few : many);
  }

  function wordsIn(html) {
    var text = new DOMParser().parseFromString(html, "text/html").body.textContent || "";
    return text.split(/\s+/).filter(function (word) {
      return /[\p{L}\p{N}]/u.test(word);
    }).length;
  }

  var wordsOut = document.getElementById("article-words");
  var timeOut = document.getElementById("article-reading-time");
  var textarea = document.getElementById("id_body");

  function showCounts(html) {
    if (!wordsOut || !timeOut) {
      return;
    }
    var words = wordsIn(html);
    wordsOut.textContent = words === 0 ? "لا كلمات بعد" : counted(words, "كلمة واحدة", "كلمتان", "كلمات", "كلمة");
    var minutes = Math.round(words / WORDS_PER_MINUTE);
    timeOut.textContent = minutes < 1
      ? "أقل من دقيقة قراءة"
      : "قراءة في " + counted(minutes, "دقيقة", "دقيقتين", "دقائق", "دقيقة");
  }

  var pending = null;
  function countSoon(editor) {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      showCounts(editor ? editor.getData() : textarea ? textarea.value : "");
    }, 300);
  }

  // Ctrl+S (Cmd+S on a Mac): "save and continue editing", which keeps the state as it is.
  function saveDraft() {
    var button = form.querySelector("input[name=_continue]");
    if (!button) {
      return;
    }
    if (window.CKEDITOR) {
      Object.keys(window.CKEDITOR.instances).forEach(function (name) {
        window.CKEDITOR.instances[name].updateElement();
      });
    }
    if (form.requestSubmit) {
      form.requestSubmit(button);
    } else {
      button.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S" || event.code === "KeyS")) {
      event.preventDefault();
      saveDraft();
    }
  });

  if (window.CKEDITOR) {
    window.CKEDITOR.on("instanceReady", function (event) {
      var editor = event.editor;
      // Inside the editor's frame the page's keydown never fires: the editor has its own keys.
      editor.addCommand("newsroomSaveDraft", { exec: saveDraft, editorFocus: false, readOnly: 1 });
      editor.setKeystroke(window.CKEDITOR.CTRL + 83, "newsroomSaveDraft");
      editor.on("change", function () {
        countSoon(editor);
      });
      editor.on("key", function () {
        countSoon(editor);
      });
      showCounts(editor.getData());
    });
  }
  if (textarea) {
    showCounts(textarea.value);
  }

  // The date and time boxes of a publication time carry no label of their own (axe: label).
  form.querySelectorAll(".datetime input[type=text]").forEach(function (input) {
    var row = input.closest(".form-row");
    var label = row && row.querySelector("label, legend");
    var part = /_1$/.test(input.id) ? "الوقت" : "التاريخ";
    if (!input.hasAttribute("aria-label") && !form.querySelector('label[for="' + input.id + '"]')) {
      input.setAttribute("aria-label", (label ? label.textContent.replace(/[:：]\s*$/, "").trim() + ": " : "") + part);
    }
  });

  // "Draft saved a minute ago", kept current while the page stays open.
  var stateOut = document.getElementById("article-autosave-state");
  var savedAt = null;

  function ago(date) {
    var minutes = Math.floor((Date.now() - date.getTime()) / 60000);
    if (minutes < 1) {
      return "حُفظت مسودة قبل لحظات";
    }
    if (minutes < 60) {
      return "حُفظت مسودة قبل " + counted(minutes, "دقيقة", "دقيقتين", "دقائق", "دقيقة");
    }
    var hours = Math.floor(minutes / 60);
    return "حُفظت مسودة قبل " + counted(hours, "ساعة", "ساعتين", "ساعات", "ساعة");
  }

  function showSaved() {
    if (stateOut && savedAt) {
      stateOut.textContent = ago(savedAt);
      stateOut.classList.remove("article-autosave-failed");
    }
  }

  document.addEventListener("workflow:autosaved", function (event) {
    savedAt = new Date(event.detail.savedAt);
    if (isNaN(savedAt.getTime())) {
      savedAt = new Date();
    }
    showSaved();
  });
  document.addEventListener("workflow:autosave-failed", function () {
    if (stateOut) {
      stateOut.textContent = "تعذّر الحفظ التلقائي: نسخة في هذا المتصفح";
      stateOut.classList.add("article-autosave-failed");
    }
  });
  window.setInterval(showSaved, 30000);
}());
