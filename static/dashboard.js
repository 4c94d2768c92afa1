// Dashboard pages, progressive enhancement only: without this file each
// guest's personal link is in a read-only field she can select and copy.
// With it, the "copy" button next to the field (hidden until now) copies
// the link and says so for a moment.
// Plain ES2017, no libraries, no inline script (the CSP forbids them).
(function () {
  'use strict';

  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var label = button.firstChild;
    var original = label.nodeValue;
    var done = function () {
      label.nodeValue = button.getAttribute('data-copied') || original;
      window.setTimeout(function () { label.nodeValue = original; }, 2500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      if (document.execCommand && document.execCommand('copy')) done();
    }
  }

  // The door list's "print" button: printing is the browser's, so the button only shows with a script.
  Array.prototype.forEach.call(document.querySelectorAll('button[data-print]'), function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });

  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { copy(button); });
  });
})();
