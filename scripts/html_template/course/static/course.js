/* Ketamine Therapy, Explained: the static site's own script (no dependencies).
 *
 * - Quizzes: each question's check data sits encoded in data-check (written by
 *   scripts/site_content.py from ketamine_course.quiz.for_browser). Check decodes
 *   it only when pressed and follows the notebook's rules and wording: a hint on
 *   the first wrong try, the answer from the second wrong try on or on Show answer,
 *   whole numbers accepted where the question says so, "too high/too low" for numbers.
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

  // The text ketamine_course.quiz.check gives for a response, and whether it counts as a wrong try.
  function judge(data, fieldset, attempt) {
    if (data.kind === 'choice') {
      var picked = fieldset.querySelector('input[type=radio]:checked');
      if (!picked) { return {text: data.empty, wrong: false}; }
      var j = Number(picked.value);
      return {text: data.feedback[j][Math.min(attempt, 2) - 1], wrong: j !== data.right};
    }
    var value = parseNumber(fieldset.querySelector('input.course-number').value);
    if (value === null) { return {text: data.empty, wrong: false}; }
    var ok = Math.abs(value - data.answer) <= data.tolerance + 1e-9 * Math.max(1, Math.abs(data.answer)) ||
      data.whole.indexOf(value) >= 0;
    if (ok) { return {text: data.correct, wrong: false}; }
    var nudge = data[value > data.answer ? 'high' : 'low'].replace('{value}', formatG(value));
    return {text: [data.wrong, nudge, data.after[Math.min(attempt, 2) - 1]].filter(Boolean).join(' '), wrong: true};
  }

  // As the notebook's widget shows it: a symbol and the head once, then the rest; "Answer:" before a reveal.
  function show(fieldset, text, revealed) {
    var out = fieldset.querySelector('.course-feedback');
    var mark = null, body = text;
    if (text.indexOf('Correct.') === 0) { mark = '\u2714 Correct.'; body = text.slice(8); }
    else if (text.indexOf('Not quite.') === 0) { mark = '\u2718 Not quite.'; body = text.slice(10); }
    else if (revealed) { mark = 'Answer:'; }
    out.textContent = '';
    if (mark) {
      var strong = document.createElement('strong');
      strong.textContent = mark;
      out.appendChild(strong);
    }
    out.appendChild(document.createTextNode((mark ? ' ' : '') + body.trim()));
    out.className = 'course-feedback ' + (mark === null ? 'is-empty' : mark.charAt(0) === '\u2714' ? 'is-right' :
                                          revealed ? 'is-answer' : 'is-wrong');
  }

  function data(fieldset) { return decode(fieldset.getAttribute('data-check'), fieldset.id); }

  function check(fieldset) {
    var tries = Number(fieldset.getAttribute('data-tries') || 0);
    var result = judge(data(fieldset), fieldset, tries + 1);
    if (result.wrong) { fieldset.setAttribute('data-tries', String(tries + 1)); }
    show(fieldset, result.text, false);
  }

  function reveal(fieldset) { show(fieldset, data(fieldset).reveal, true); }

  window.courseShowAnswers = function () {
    document.querySelectorAll('.course-question').forEach(function (fieldset) {
      var p = document.createElement('p');
      p.className = 'course-answer';
      var strong = document.createElement('strong');
      strong.textContent = 'Answer: ';
      p.appendChild(strong);
      p.appendChild(document.createTextNode(data(fieldset).reveal));
      fieldset.appendChild(p);
    });
  };

  // The glossary search box (scripts/site_content.py glossary_search_html): ketamine_course.glossary.search
  // (terms first, then definitions, case-insensitive) with ketamine_course.demos.glossary.results_html's wording.
  function escapeHtml(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  }
  function glossaryResults(query, rows) {
    var q = query.trim().toLowerCase();
    if (!q) { return '<p>Type part of a term or a word from its definition.</p>'; }
    var inTerm = rows.filter(function (r) { return r.term.toLowerCase().indexOf(q) >= 0; });
    var found = inTerm.concat(rows.filter(function (r) {
      return inTerm.indexOf(r) < 0 && r.definition.toLowerCase().indexOf(q) >= 0;
    }));
    if (!found.length) { return "<p>No entry for '" + escapeHtml(query) + "'. Try a shorter word.</p>"; }
    var items = found.slice(0, 8).map(function (r) {
      return '<dt><a href="glossary.html#' + escapeHtml(r.anchor) + '"><strong>' + escapeHtml(r.term) +
        '</strong></a> (notebook ' + (r.first_notebook < 10 ? '0' : '') + r.first_notebook + ')</dt><dd>' +
        escapeHtml(r.definition) + '</dd>';
    }).join('');
    var more = found.length > 8 ? '<p>... and ' + (found.length - 8) + ' more.</p>' : '';
    return '<p>' + found.length + ' entr' + (found.length === 1 ? 'y' : 'ies') + ':</p><dl>' + items + '</dl>' + more;
  }
  function setUpGlossary(box) {
    var rows = JSON.parse(box.querySelector('.course-glossary-terms').textContent);
    var input = box.querySelector('.course-glossary-query'), out = box.querySelector('.course-glossary-results');
    input.addEventListener('input', function () { out.innerHTML = glossaryResults(input.value, rows); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.course-glossary-search').forEach(setUpGlossary);
  });

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
    var button = event.target.closest && event.target.closest('.course-check, .course-reveal');
    if (button) {
      (button.classList.contains('course-reveal') ? reveal : check)(button.closest('.course-question'));
    }
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
