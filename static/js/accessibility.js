// Keyboard and screen-reader care the server cannot give on its own (no inline script: the
// Content-Security-Policy refuses it). The words come from the live region's data-* attributes, which the
// base template translates.
(function () {
  "use strict";

  var liveRegion = null;
  var USER_EVENTS = ["submit", "click", "change", "input", "keyup", "search"];

  // Says something once: emptied first, so the same words said twice are heard twice.
  function announce(text) {
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = text; }, 100);
  }

  // The swapped part's own heading, else the heading of the section around it.
  function regionName(element) {
    var heading = element.querySelector("h1, h2, h3, h4, caption, legend");
    var section = element.closest("[aria-labelledby]");
    if (!heading && section) heading = document.getElementById(section.getAttribute("aria-labelledby"));
    if (heading && heading.textContent.trim()) return heading.textContent.trim();
    return element.getAttribute("aria-label") || "";
  }

  // What an htmx swap changed, in words: its messages and errors if it has any, else which part changed.
  function swapSummary(element) {
    var said = Array.prototype.map.call(
      element.querySelectorAll(".message, .errors, .form-errors, .errorlist, [role=alert]"),
      function (node) { return node.textContent.trim(); }
    ).filter(Boolean);
    if (said.length) return said.join(" ");
    var name = regionName(element);
    return name ? liveRegion.dataset.updated + " " + name : liveRegion.dataset.updatedPage;
  }

  // The id of the focused control, if a swap is about to replace it (htmx would leave focus on <body>).
  var focusInSwap = null;
  var settled = new WeakSet();

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var inSwap = active && active !== document.body && event.detail.target.contains(active);
    focusInSwap = inSwap ? { id: active.id } : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var element = event.target;
    // htmx settles each element of an outerHTML swap: the first one speaks for the request.
    if (!(element instanceof Element) || !element.isConnected || settled.has(event.detail.xhr)) return;
    settled.add(event.detail.xhr);
    var focusLost = !document.activeElement || document.activeElement === document.body;
    if (focusInSwap && focusLost) {
      // Back to the control with the same id if the swap brought it back, else to the swapped part's
      // first error or heading, or the part itself: never to the start of the page.
      var target = (focusInSwap.id && document.getElementById(focusInSwap.id)) ||
        element.querySelector(".errors, .form-errors, [role=alert], h1, h2, h3, h4") || element;
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) target.tabIndex = -1;
      target.focus();
    }
    focusInSwap = null;
    // Said: what the person's own action changed, and a polled part (a run or an import in progress)
    // once it has finished; not the panels that follow along by themselves, which would talk over it.
    var cause = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var byThePerson = cause && USER_EVENTS.indexOf(cause.type) !== -1;
    var polled = event.detail.elt && event.detail.elt.matches && event.detail.elt.matches("[hx-trigger*=every]");
    if (byThePerson || (polled && !element.matches("[hx-trigger*=every]"))) announce(swapSummary(element));
  });

  document.addEventListener("DOMContentLoaded", function () {
    liveRegion = document.getElementById("live-region");
  });
})();
