import { describe, expect, it } from "vitest";
import { bestF1Threshold, fitSigmoid, sigmoid } from "../../analysis/themes/calibration.js";
import {
  chooseLabels,
  decisionValues,
  labelScore,
  type TrainingData,
  trainClassifier,
} from "../../analysis/themes/classifier.js";
import { type CommentExample, fitVectorizer, transform } from "../../analysis/themes/hashed-features.js";
import { trainSvm } from "../../analysis/themes/linear-svm.js";
import { modelFromBytes, modelToBytes } from "../../analysis/themes/model-bytes.js";
import { seededRandom } from "../../analysis/themes/seeded-random.js";

const PARKING = [
  "Nowhere to park near the library",
  "The car park is always full",
  "Parking charges are too high",
  "More parking spaces for disabled drivers please",
  "I could not find a parking space",
  "The car park needs better lighting",
  "Free parking would bring people back",
  "Parking permits take too long to arrive",
  "The new car park layout is confusing",
  "Park and ride would help the town centre",
];
const LITTER = [
  "Litter everywhere on the high street",
  "The bins are overflowing with rubbish",
  "Please empty the litter bins more often",
  "Fly tipping in the lane behind the shops",
  "Rubbish blows all over the park",
  "More recycling bins and fewer litter louts",
  "Dog mess and litter on the footpath",
  "The bins by the bus stop smell of rubbish",
  "Litter pickers did a great job last week",
  "Overflowing bins attract rats",
];

const ex = (text: string, closed: string[] = []): CommentExample => ({ text, closed });

/** Two themes: 0 parking, 1 litter; every comment coded, so each is a negative of the other. */
function twoThemes(): TrainingData {
  const examples = [...PARKING, ...LITTER].map((t) => ex(t));
  const targets = new Int8Array(examples.length * 2);
  examples.forEach((_, i) => {
    const parking = i < PARKING.length;
    targets[i * 2] = parking ? 1 : -1;
    targets[i * 2 + 1] = parking ? -1 : 1;
  });
  return { examples, labelCount: 2, targets };
}

describe("hashed TF-IDF features", () => {
  it("normalises the word block and the character block each to length 1, closed answers at 1", () => {
    const v = fitVectorizer([ex("car park full", ["rating=2"]), ex("car park empty", ["rating=4"])]);
    const x = transform(v, [ex("car park full", ["rating=2"])]);
    const textColumns = v.idf.length;
    const closedAt = textColumns + (v.closed["rating=2"] as number);
    let closedValue = 0;
    let textSquares = 0;
    for (let k = 0; k < x.value.length; k++) {
      if (x.index[k] === closedAt) closedValue = x.value[k] as number;
      else textSquares += (x.value[k] as number) ** 2;
    }
    expect(closedValue).toBe(1);
    // Two unit blocks: words and character grams.
    expect(textSquares).toBeCloseTo(2, 5);
  });

  it("drops features seen in fewer than two training comments, and answers it never saw", () => {
    const v = fitVectorizer([ex("car park", ["q=a"]), ex("car park", ["q=a"]), ex("zebra", [])]);
    const known = transform(v, [ex("car park", ["q=b"])]);
    const unknown = transform(v, [ex("zebra quagga", ["q=b"])]);
    expect(known.value.length).toBeGreaterThan(0);
    expect(unknown.value.length).toBe(0);
  });

  it("gives the same features whatever the letter case", () => {
    const v = fitVectorizer([ex("Car Park"), ex("car park")]);
    const a = transform(v, [ex("CAR PARK")]);
    const b = transform(v, [ex("car park")]);
    expect(Array.from(a.index)).toEqual(Array.from(b.index));
  });
});

describe("the linear SVM", () => {
  it("separates two groups of comments by their words", () => {
    const examples = [...PARKING, ...LITTER].map((t) => ex(t));
    const v = fitVectorizer(examples);
    const x = transform(v, examples);
    const y = Int8Array.from(examples, (_, i) => (i < PARKING.length ? 1 : -1));
    const w = new Float64Array(v.dimension);
    const rows = Int32Array.from(examples.keys());
    const bias = trainSvm(x, rows, y, w, { costPositive: 1, costNegative: 1, random: seededRandom(3) });
    examples.forEach((_, r) => {
      let d = bias;
      for (let k = x.start[r] as number; k < (x.start[r + 1] as number); k++) {
        d += (w[x.index[k] as number] as number) * (x.value[k] as number);
      }
      expect(Math.sign(d)).toBe(y[r]);
    });
  });
});

describe("thresholds and scores", () => {
  it("cuts where F1 on the held-out values is best", () => {
    // Positives at 3, 2 and 0.5; negatives at 1 and -1: taking the top two gives F1 0.8, the top
    // four 0.857 (3 of 3 found, one wrong), so the cut falls between 0.5 and -1.
    expect(bestF1Threshold([3, 2, 1, 0.5, -1], [1, 1, -1, 1, -1])).toBeCloseTo(-0.25);
    expect(bestF1Threshold([1, 2], [-1, -1])).toBe(0);
  });

  it("maps decision values to probabilities that rise with the value", () => {
    const d = [-2, -1.5, -1, -0.5, 0.2, 0.5, 1, 1.5, -0.2, 0.8];
    const y = [-1, -1, -1, -1, 1, 1, 1, 1, 1, -1];
    const s = fitSigmoid(d, y);
    expect(s.a).toBeGreaterThan(0);
    expect(sigmoid(s, 1.5)).toBeGreaterThan(0.7);
    expect(sigmoid(s, -2)).toBeLessThan(0.3);
  });
});

describe("the theme classifier", () => {
  it("gives unseen comments the theme whose words they share", () => {
    const model = trainClassifier(twoThemes(), { seed: 7 });
    expect(Array.from(model.learned)).toEqual([1, 1]);
    const unseen = [ex("Parking near the shops is impossible"), ex("Too much litter and full bins")];
    const d = decisionValues(model, unseen);
    expect(chooseLabels(model, d, false)).toEqual([[0], [1]]);
    expect(labelScore(model, 0, d[0] as number)).toBeGreaterThan(labelScore(model, 0, d[2] as number));
  });

  it("learns no theme with fewer than five confirmed comments, and never gives it", () => {
    const data = twoThemes();
    // Only four litter comments confirmed; the rest of litter is undecided.
    for (let i = PARKING.length + 4; i < data.examples.length; i++) data.targets[i * 2 + 1] = 0;
    const model = trainClassifier(data, { seed: 7 });
    expect(Array.from(model.learned)).toEqual([1, 0]);
    const d = decisionValues(model, [ex("Too much litter and full bins")]);
    expect(chooseLabels(model, d, true)).toEqual([[0]]);
    expect(chooseLabels(model, d, false)[0]).not.toContain(1);
  });

  it("learns from the respondent's closed answers as well as the words", () => {
    // The same words for both groups: only the rating tells them apart.
    const examples = Array.from({ length: 30 }, (_, i) => ex(`comment number ${i % 3}`, [`rating=${i % 2}`]));
    const targets = Int8Array.from(examples, (_, i) => (i % 2 === 0 ? 1 : -1));
    const model = trainClassifier({ examples, labelCount: 1, targets }, { seed: 2 });
    const d = decisionValues(model, [
      ex("comment number 1", ["rating=0"]),
      ex("comment number 1", ["rating=1"]),
    ]);
    expect(d[0]).toBeGreaterThan(d[1] as number);
    expect(chooseLabels(model, d, false)).toEqual([[0], []]);
  });

  it("repeats exactly for a seed", () => {
    const a = trainClassifier(twoThemes(), { seed: 11 });
    const b = trainClassifier(twoThemes(), { seed: 11 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
  });
});

describe("a model stored as bytes", () => {
  it("gives the same decisions after the round trip", () => {
    const data = twoThemes();
    for (let i = PARKING.length + 4; i < data.examples.length; i++) data.targets[i * 2 + 1] = 0;
    const model = trainClassifier(data, { seed: 5 });
    const back = modelFromBytes(modelToBytes(model));
    const probe = [ex("Parking near the shops is impossible"), ex("Too much litter and full bins")];
    const a = decisionValues(model, probe);
    const b = decisionValues(back, probe);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 5);
    expect(chooseLabels(back, b, false)).toEqual(chooseLabels(model, a, false));
    expect(Array.from(back.learned)).toEqual([1, 0]);
  });
});
