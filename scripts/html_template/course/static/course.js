/* Ketamine Therapy, Explained: the static site's own script (no dependencies).
 *
 * - Quizzes: each question's check data sits encoded in data-check (see
 *   scripts/site_content.py, which writes it from ketamine_course.quiz). Check
 *   decodes it only when pressed and shows the notebook's own feedback wording.
 * - courseShowAnswers(): writes every quiz answer under its question (the
 *   instructor handout, scripts/build_pdf.py).
 * - courseSearch(): the search page, with the Pagefind index built by make html.
 */
(function () {
  'use strict';

  function decode(blob, ident) {
    var raw = atob(blob), key = 'ketamine-course:' + ident, bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i) ^ key.charCodeAt(i % key.length);
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  // ketamine_course.checks.parse_number: decimal comma allowed, a trailing unit ignored.
  function parseNumber(text) {
    var head = String(text).trim().replace(/,/g, '.').split(/\s+/)[0] || '';
    if (!/^[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(head)) { return null; }
    var x = Number(head.replace(/_/g, ''));
    return isFinite(x) ? x : null;
  }

  // Python's format(x, 'g'): six significant digits, trailing zeros dropped.
  function formatG(x) {
    if (x === 0) { return '0'; }
    var exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
    if (exp < -4 || exp >= 6) {
      var parts = x.toExponential(5).split('e');
      var mantissa = parts[0].replace(/\.?0+$/, '');
      var e = Number(parts[1]);
      return mantissa + 'e' + (e < 0 ? '-' : '+') + (Math.abs(e) < 10 ? '0' : '') + Math.abs(e);
    }
    return String(Number(x.toPrecision(6)));
  }

  // The text ketamine_course.quiz.check gives for a response.
  function judge(data, fieldset) {
    if (data.kind === 'choice') {
      var picked = fieldset.querySelector('input[type=radio]:checked');
      return picked ? data.feedback[Number(picked.value)] : data.empty;
    }
    var value = parseNumber(fieldset.querySelector('input.course-number').value);
    if (value === null) { return data.empty; }
    var ok = Math.abs(value - data.answer) <= data.tolerance + 1e-9 * Math.max(1, Math.abs(data.answer));
    return (ok ? 'Correct.' : 'Not quite: ' + formatG(value) + ' is off.') + ' ' + data.explanation;
  }

  function show(fieldset, text) {
    var out = fieldset.querySelector('.course-feedback');
    var mark = null, body = text;
    if (text.indexOf('Correct.') === 0) { mark = '\u2714 Correct.'; body = text.slice(8); }
    else if (text.indexOf('Not quite.') === 0) { mark = '\u2718 Not quite.'; body = text.slice(10); }
    else if (text.indexOf('Not quite:') === 0) { mark = '\u2718 Not quite:'; body = text.slice(10); }
    out.textContent = '';
    if (mark) {
      var strong = document.createElement('strong');
      strong.textContent = mark;
      out.appendChild(strong);
    }
    out.appendChild(document.createTextNode((mark ? ' ' : '') + body.trim()));
    out.className = 'course-feedback ' + (mark ? (mark.charAt(0) === '\u2714' ? 'is-right' : 'is-wrong') : 'is-empty');
  }

  function check(fieldset) {
    show(fieldset, judge(decode(fieldset.getAttribute('data-check'), fieldset.id), fieldset));
  }

  window.courseShowAnswers = function () {
    document.querySelectorAll('.course-question').forEach(function (fieldset) {
      var data = decode(fieldset.getAttribute('data-check'), fieldset.id), text;
      if (data.kind === 'choice') {
        var right = data.feedback.findIndex(function (f) { return f.indexOf('Correct.') === 0; });
        var label = fieldset.querySelectorAll('.course-option span')[right].textContent;
        text = label + '. ' + data.feedback[right].slice(9);
      } else {
        text = formatG(data.answer) + (data.unit ? ' ' + data.unit : '') + '. ' + data.explanation;
      }
      var p = document.createElement('p');
      p.className = 'course-answer';
      var strong = document.createElement('strong');
      strong.textContent = 'Answer: ';
      p.appendChild(strong);
      p.appendChild(document.createTextNode(text));
      fieldset.appendChild(p);
    });
  };

  window.courseSearch = function (selector) {
    var base = new URL('.', window.location.href).pathname;
    var ui = new PagefindUI({element: selector, baseUrl: base, bundlePath: base + 'pagefind/',
                             showImages: false, resetStyles: false, autofocus: true,
                             translations: {placeholder: 'Search the course'}});
    // Pagefind's input has only a title; give it a proper accessible name.
    var root = document.querySelector(selector);
    function name() {
      var input = root.querySelector('input');
      if (input && !input.getAttribute('aria-label')) { input.setAttribute('aria-label', 'Search the course'); }
    }
    name();
    new MutationObserver(name).observe(root, {childList: true, subtree: true});
    var q = new URLSearchParams(window.location.search).get('q');
    if (q) { ui.triggerSearch(q); }
    return ui;
  };

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('.course-check');
    if (button) { check(button.closest('.course-question')); }
  });
  document.addEventListener('keydown', function (event) {
    // Enter in a number box checks, as a student expects from a form.
    if (event.key === 'Enter' && event.target.classList && event.target.classList.contains('course-number')) {
      event.preventDefault();
      check(event.target.closest('.course-question'));
    }
  });
  // A box that scrolls sideways (a long code line, a wide table or equation on a phone) must be
  // reachable by keyboard: make exactly those focusable, and name them for screen readers.
  var SCROLLERS = '.jp-InputArea-editor, .jp-OutputArea-output, .jp-RenderedText pre, .jp-RenderedHTMLCommon table, mjx-container';
  function markScrollable() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var style = getComputedStyle(el), scrolls = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('data-course-scroll', '');
        if (!el.getAttribute('aria-label') && !/^mjx/i.test(el.tagName)) {
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', 'Scrollable ' + (el.tagName === 'TABLE' ? 'table' : 'code or output'));
        }
      } else if (!scrolls && el.hasAttribute('data-course-scroll')) {
        el.removeAttribute('tabindex');
        el.removeAttribute('data-course-scroll');
        if (el.getAttribute('role') === 'region') { el.removeAttribute('role'); el.removeAttribute('aria-label'); }
      }
    });
  }
  window.courseMarkScrollable = markScrollable;
  window.addEventListener('load', function () {
    markScrollable();
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) { MathJax.startup.promise.then(markScrollable); }
    setTimeout(markScrollable, 1500);
  });
  var resizeTimer = null;
  function later() { clearTimeout(resizeTimer); resizeTimer = setTimeout(markScrollable, 100); }
  window.addEventListener('resize', later);
  // Widgets render after load: look again when the page's content changes.
  document.addEventListener('DOMContentLoaded', function () {
    var main = document.querySelector('main');
    if (main) { new MutationObserver(later).observe(main, {childList: true, subtree: true}); }
  });
  document.documentElement.classList.add('course-js');
}());
