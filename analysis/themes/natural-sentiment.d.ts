// Types for natural's sentiment submodule (imported alone: natural whole loads its storage back-ends).
declare module "natural/lib/natural/sentiment/SentimentAnalyzer.js" {
  export default class SentimentAnalyzer {
    constructor(language: string, stemmer: { stem(token: string): string } | null, type: string);
    getSentiment(words: string[]): number;
  }
}
