// Progressive enhancement only: every page works without this file.
// An error summary takes focus on load so keyboard and screen-reader users hear what to fix (UX.md §2.4).
document.querySelector("[data-autofocus]")?.focus();
