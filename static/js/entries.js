/* Progressive enhancement for the entry forms (the pages work without it):
   - a live character count under every field with data-maxlength (the server enforces it);
   - the error summary takes focus when a page loads with errors;
   - a form marked data-prevent-double-submit ignores a second click while it is sending;
   - a file too large is announced before it is uploaded (the server checks it again). */
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "th";
  var text = {
    th: {
      left: function (n) { return "เหลืออีก " + n.toLocaleString("th-TH") + " ตัวอักษร"; },
      over: function (n) { return "เกินมา " + n.toLocaleString("th-TH") + " ตัวอักษร"; },
      big: function (max) { return "ไฟล์ใหญ่เกินกำหนด (ไม่เกิน " + max + ")"; }
    },
    en: {
      left: function (n) { return "You have " + n.toLocaleString("en") + " characters remaining"; },
      over: function (n) { return "You have " + n.toLocaleString("en") + " characters too many"; },
      big: function (max) { return "The file is too large (at most " + max + ")"; }
    }
  }[lang];

  function counter(field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var note = document.getElementById(field.id + "-count");
    if (!max || !note) { return; }
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    note.parentNode.insertBefore(live, note.nextSibling);
    var timer = null;
    function update() {
      var remaining = max - Array.from(field.value).length;
      var message = remaining >= 0 ? text.left(remaining) : text.over(-remaining);
      note.textContent = message;
      note.classList.toggle("char-count--over", remaining < 0);
      field.classList.toggle("input--over", remaining < 0);
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = message; }, 800);
    }
    field.addEventListener("input", update);
    update();
  }

  function fileSize(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    if (!max) { return; }
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > max ? text.big(input.getAttribute("data-max-text")) : "");
      if (file && file.size > max) { input.reportValidity(); }
    });
  }

  function init() {
    document.querySelectorAll("[data-maxlength]").forEach(counter);
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(fileSize);
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
    document.querySelectorAll("form[data-prevent-double-submit]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sending) { event.preventDefault(); return; }
        form.dataset.sending = "1";
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
