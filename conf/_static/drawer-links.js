// On narrow screens the theme shows the chapter list and the page's contents in <dialog>
// drawers that close only on Escape or a tap beside them (pydata-sphinx-theme 0.20): a reader
// who taps a section in "Contents" lands there with the drawer still over the text. Close the
// drawer when one of its links is followed.
document.addEventListener("click", (event) => {
  const link = event.target.closest("dialog[open] a[href]");
  if (link) {
    link.closest("dialog").close();
  }
});
