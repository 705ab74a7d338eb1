// Types for the two natural submodules Sounding imports. natural's own index.d.ts describes the
// whole package, and importing the package whole loads its storage back-ends and reads .env files.
declare module "natural/lib/natural/tokenizers/aggressive_tokenizer.js" {
  export default class AggressiveTokenizer {
    tokenize(text: string): string[];
  }
}
declare module "natural/lib/natural/stemmers/porter_stemmer.js" {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
