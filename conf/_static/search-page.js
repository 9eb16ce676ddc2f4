// The snippet under each search result: page text, not the theme's chrome or TeX.
//
// Sphinx takes a result's snippet from the text of the page's [role="main"] element, which
// pydata-sphinx-theme puts on the whole <main>: the article header's buttons ("System
// Settings Light Dark"), the column of contents, the previous and next links. And a formula
// drawn by KaTeX carries its TeX source (in the MathML annotation) next to its visual copy.
// Hand Sphinx the article alone, with each formula as its MathML text only.
(() => {
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const main = page.querySelector('[role="main"]');
    const article = page.querySelector("article.bd-article");
    if (main && article) {
      article.querySelectorAll(".katex-html, annotation").forEach((el) => el.remove());
      main.replaceChildren(article);
    }
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
})();
