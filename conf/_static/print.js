// On paper nothing can be clicked open: before printing, open every folded part of the page
// (proofs, checks, hidden code, quiz answers, dropdowns); after, close what was closed.
// conf/print_book.py prints the whole book the same way.
"use strict";
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.dataset.openedForPrint = "";
    details.open = true;
  }
});
window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll("details[data-opened-for-print]")) {
    details.open = false;
    delete details.dataset.openedForPrint;
  }
});
