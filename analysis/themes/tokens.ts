import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";
import AggressiveTokenizer from "natural/lib/natural/tokenizers/aggressive_tokenizer.js";

const tokenizer = new AggressiveTokenizer();

/** Longer "words" (a pasted URL, a run of letters) are cut: the stemmer's work stays bounded. */
const MAX_TOKEN = 40;

/** Letters with accents become plain letters ("café" -> "cafe"): natural's tokenizer keeps a-z only. */
function plain(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

/**
 * The words of a text, lower-cased and stemmed with the Porter stemmer ("volunteers",
 * "volunteering" -> "volunt"), in order. natural's aggressive tokenizer keeps hyphens, slashes and
 * apostrophes inside a token; they are split or dropped here so "time-banking" is two words and
 * "council's" is "council". Every step is a linear pass.
 */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenizer.tokenize(plain(text).toLowerCase())) {
    for (const part of token.split(/[-/]+/)) {
      const word = part.replace(/'s$/, "").replace(/'/g, "").slice(0, MAX_TOKEN);
      if (word !== "") out.push(PorterStemmer.stem(word));
    }
  }
  return out;
}
