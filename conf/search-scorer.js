// The book's search ranking: Sphinx's `html_search_scorer`, which it copies into
// language_data.js on every page that searches.
//
// Sphinx 9.0 gives a query word found in any heading of a page the same "title" score
// (Scorer.title, 15): the chapter called "The derivative" and every chapter with a section
// about the derivative tie, and ties are ordered alphabetically, so that chapter came fourth.
// Its only whole-title match needs the query to be at least half the title's length. Here a
// page gains a bonus for each query word that its own title holds (stemmed, as Sphinx stems
// the query), larger than any score Sphinx gives a text or heading match: a page whose title
// holds every word of the query comes first.
//
// The same fields as Sphinx's default Scorer (sphinx/themes/basic/static/searchtools.js), so
// this definition can stand in for it whichever of the two files a page loads first.
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  // Per query word that the page's own title holds, a share of this bonus.
  pageTitle: 100,

  score: (result) => {
    const [docName, , , , score] = result;
    return score + Scorer.pageTitleBonus(docName);
  },

  pageTitleBonus: (docName) => {
    const index = Search._index;
    const file = index.docnames.indexOf(docName);
    const words = Scorer._queryWords();
    if (file < 0 || words.length === 0) return 0;
    const titleWords = new Set(Scorer._stems(index.titles[file]));
    const found = words.filter((word) => titleWords.has(word)).length;
    return Math.round((Scorer.pageTitle * found) / words.length);
  },

  // The query's words as Sphinx searches for them: split, stop words dropped, stemmed.
  _queryWords: () => {
    const query = new URLSearchParams(window.location.search).get("q") || "";
    return [...new Set(Scorer._stems(query))];
  },

  _stems: (text) => {
    const stemmer = new Stemmer();
    return splitQuery(text.toLowerCase())
      .filter((word) => !stopwords.has(word) && !/^\d+$/.test(word))
      .map((word) => stemmer.stemWord(word));
  },
};
