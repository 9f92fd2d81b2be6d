// Keyboard and screen-reader care the server cannot give on its own (no inline script: the
// Content-Security-Policy refuses it). The words come from the live region's data-* attributes, which the
// base template translates.
(function () {
  "use strict";

  var liveRegion = null;
  var USER_EVENTS = ["submit", "click", "change", "input", "keyup", "search"];

  // Puts every table in its own scroll box that a keyboard can reach and scroll, so a wide table never
  // makes the page scroll sideways on a phone. Its name is the table's caption or the nearest heading,
  // said as "Table: …" so that it differs from the section named by that same heading.
  function boxTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", uniqueName(tableName(table)));
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  // Two boxes under one heading are numbered: landmarks of one page need different names.
  function uniqueName(name) {
    var taken = {};
    document.querySelectorAll(".table-scroll").forEach(function (box) { taken[box.getAttribute("aria-label")] = true; });
    var unique = name;
    for (var number = 2; taken[unique]; number++) unique = name + " (" + number + ")";
    return unique;
  }

  function tableName(table) {
    var own = (table.caption && table.caption.textContent.trim()) || table.getAttribute("aria-label");
    if (own) return liveRegion.dataset.tableNamed.replace("{name}", own);
    for (var node = table; node && node !== document.body; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        var heading = before.matches("h1, h2, h3, h4") ? before : before.querySelector("h1, h2, h3, h4");
        if (heading && heading.textContent.trim()) {
          return liveRegion.dataset.tableNamed.replace("{name}", heading.textContent.trim());
        }
      }
    }
    return liveRegion.dataset.tableName;
  }

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
    boxTables(element);
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
    boxTables(document);
  });
})();
