// Names as the page shows them and as the API returns them, compared for corroboration.
//
// - Unicode NFC, not NFKC: NFKC would fold lookalikes (a fullwidth or ligature form into ASCII), and two
//   different names are two different campaigns. Lookalike dashes (– vs -) and zero-width characters stay
//   significant; only canonically equivalent forms (é as one code point or e + combining acute) compare equal.
// - Whitespace: the visible name is read with `textContent`, which keeps the markup's own indentation around
//   the text, and the browser does not render leading or trailing white space (CSS white-space collapsing).
//   So HTML white space (space, tab, LF, FF, CR) at either end is dropped from both names. Inside the name,
//   white space stays significant: `textContent` does not collapse it and the framework writes the name
//   verbatim. NBSP and other Unicode spaces are not HTML white space and stay significant everywhere.
//   Two names that differ only at the edges look identical on screen; the candidate id decides, the name
//   only corroborates.

const EDGE_WHITESPACE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

export function normaliseName(name: string): string {
  return name.replace(EDGE_WHITESPACE, '').normalize('NFC');
}

/** True if the visible name and the API's name are the same name. An empty name corroborates nothing. */
export function namesMatch(visible: string, apiName: string): boolean {
  const shown = normaliseName(visible);
  return shown !== '' && shown === normaliseName(apiName);
}
