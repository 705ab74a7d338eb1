import { builtInScales, type Scale } from "./scales.js";

/**
 * Scales an officer may pick in the builder beyond the built-in ones. A definition that uses one
 * carries a copy in its own `scales`, so it stays complete as JSON and later changes here never
 * alter a consultation already built.
 */
export const extraLibraryScales: readonly Scale[] = [
  {
    id: "satisfaction-5",
    name: "Satisfaction (5 points, with don't know)",
    options: [
      { code: "very-satisfied", label: "Very satisfied", score: 5, group: "positive" },
      { code: "fairly-satisfied", label: "Fairly satisfied", score: 4, group: "positive" },
      { code: "neither", label: "Neither satisfied nor dissatisfied", score: 3, group: "neutral" },
      { code: "fairly-dissatisfied", label: "Fairly dissatisfied", score: 2, group: "negative" },
      { code: "very-dissatisfied", label: "Very dissatisfied", score: 1, group: "negative" },
      { code: "dont-know", label: "Don't know", score: null, group: "excluded" },
    ],
    words: {
      positive: "Satisfied",
      negative: "Dissatisfied",
      positiveVerb: "were satisfied",
      negativeVerb: "were dissatisfied",
      neutralVerb: "were neither satisfied nor dissatisfied",
      strongPositive: "very satisfied",
      strongNegative: "very dissatisfied",
      measure: "Satisfaction",
      lowest: "{noun} with the least satisfaction",
      prompt: "how satisfied you are with {subject}",
    },
  },
  {
    id: "frequency-5",
    name: "Frequency (5 points)",
    options: [
      { code: "always", label: "Always", score: 5, group: "positive" },
      { code: "often", label: "Often", score: 4, group: "positive" },
      { code: "sometimes", label: "Sometimes", score: 3, group: "neutral" },
      { code: "rarely", label: "Rarely", score: 2, group: "negative" },
      { code: "never", label: "Never", score: 1, group: "negative" },
    ],
    words: {
      positive: "Often",
      negative: "Rarely",
      positiveVerb: "said always or often",
      negativeVerb: "said rarely or never",
      neutralVerb: "said sometimes",
      strongPositive: "always",
      strongNegative: "never",
      measure: "Frequency",
      lowest: "least frequent {noun}",
      prompt: "how often {subject} happens",
    },
  },
  {
    id: "importance-5",
    name: "Importance (5 points, with don't know)",
    options: [
      { code: "very", label: "Very important", score: 5, group: "positive" },
      { code: "fairly", label: "Fairly important", score: 4, group: "positive" },
      { code: "neither", label: "Neither important nor unimportant", score: 3, group: "neutral" },
      { code: "not-very", label: "Not very important", score: 2, group: "negative" },
      { code: "not-at-all", label: "Not at all important", score: 1, group: "negative" },
      { code: "dont-know", label: "Don't know", score: null, group: "excluded" },
    ],
    words: {
      positive: "Important",
      negative: "Not important",
      positiveVerb: "said it was important",
      negativeVerb: "said it was not important",
      neutralVerb: "said it was neither important nor unimportant",
      strongPositive: "very important",
      strongNegative: "not at all important",
      measure: "Importance",
      lowest: "{noun} rated least important",
      prompt: "how important {subject} is",
    },
  },
];

/** Every scale the builder offers from its library, built-in first. */
export const scaleLibrary: readonly Scale[] = [...builtInScales, ...extraLibraryScales];
