// Behaviour shared by every page: the phone menu, focus after a failed submit, and a
// confirmation before every action that cannot be undone.
(function () {
  "use strict";

  function collapsibleMenu() {
    const toggle = document.querySelector(".menu-toggle");
    const nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    document.documentElement.classList.add("js-menu");
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }

  // After a failed submit the error summary (or the error message) takes the focus, so a
  // keyboard or screen-reader user starts where the problem is described.
  function focusProblems() {
    const target = document.querySelector("[data-error-summary]") ||
      document.querySelector("[data-error-message]");
    if (target) target.focus();
  }

  // <form data-confirm="…"> asks before submitting; data-confirm-submit names the one
  // button that needs the question (e.g. "submit" beside "save draft").
  function confirmations() {
    document.addEventListener("submit", function (event) {
      const form = event.target;
      const message = form.dataset ? form.dataset.confirm : "";
      if (!message) return;
      const only = form.dataset.confirmSubmit;
      if (only && (!event.submitter || event.submitter.name !== only)) return;
      if (!window.confirm(message)) event.preventDefault();
    });
  }

  confirmations();
  document.addEventListener("DOMContentLoaded", function () {
    collapsibleMenu();
    focusProblems();
  });
})();
