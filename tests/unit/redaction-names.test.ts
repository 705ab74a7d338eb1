import { describe, expect, it } from "vitest";
import {
  ADDRESS_REMOVED,
  applyRedactions,
  EMAIL_REMOVED,
  findRedactions,
  NAME_REMOVED,
  PHONE_REMOVED,
  POSTCODE_REMOVED,
  redact,
  redactWithCounts,
} from "../../analysis/redaction.js";
import { pieces } from "../../analysis/redaction-names.js";

const NAME = NAME_REMOVED;
const A = ADDRESS_REMOVED;

describe("redact: the comment in issue 11", () => {
  it("removes both names, the street address, the phone, the e-mail and the postcode", () => {
    const comment =
      "I am John Smith of 12 High Street, Melton, call me on 07700 900123 or john.smith@example.com, LE13 0AB. My manager Sarah Jones is useless.";
    const { text, counts } = redactWithCounts(comment);
    expect(text).toBe(
      `I am ${NAME} of ${A}, Melton, call me on ${PHONE_REMOVED} or ${EMAIL_REMOVED}, ${POSTCODE_REMOVED}. My manager ${NAME} is useless.`,
    );
    expect(counts).toEqual({ emails: 1, phones: 1, postcodes: 1, numbers: 0, addresses: 1, names: 2 });
    for (const gone of ["John", "Smith", "Sarah", "Jones", "High Street", "07700", "LE13"])
      expect(text).not.toContain(gone);
  });
});

describe("redact: names", () => {
  it.each([
    ["Dr Howard explaining things.", `Dr ${NAME} explaining things.`],
    ["Having someone (Dr Omonori) who listened", `Having someone (Dr ${NAME}) who listened`],
    ["Mrs. Patel was kind", `Mrs. ${NAME} was kind`],
    ["thanks to Nurse Adebayo Okafor on ward 3", `thanks to Nurse ${NAME} on ward 3`],
    ["Cllr Jane Doe did not reply", `Cllr ${NAME} did not reply`],
    ["my sister Mary helped", `my sister ${NAME} helped`],
    ["Heather was brilliant with my mum", `${NAME} was brilliant with my mum`],
    // A name followed by "and" or "who" is still a name (only a place word after it makes it a place).
    ["Very satisfied with Michael and his manner", `Very satisfied with ${NAME} and his manner`],
    ["Thanks to Michael who rang back", `Thanks to ${NAME} who rang back`],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves titles without a name, roles, places, hospitals and acronyms alone", () => {
    for (const text of [
      "The Dr I saw on the 16th was rude.",
      "the nurse practitioner was helpful",
      "Seen at the James Cook University Hospital",
      "Treated at Freeman Hospital in Newcastle",
      "I have MS and a TIA last year",
      "Leicestershire County Council should listen to residents.",
      "the doctor who saw me",
      "Nurse Practitioner appointments are hard to get",
      "I saw the nurse. She was lovely.",
      "The Dr's manner was poor.",
    ])
      expect(redact(text)).toBe(text);
  });

  it("keeps councillors named in their public role when the consultation says so", () => {
    const rules = { keepPublicRoles: true, keptNames: [] };
    expect(redact("Cllr Jane Doe and Councillor Smith voted; Mr Brown did not.", { nameRules: rules })).toBe(
      `Cllr Jane Doe and Councillor Smith voted; Mr ${NAME} did not.`,
    );
  });

  it("keeps the names a consultation lists, wherever they appear", () => {
    const rules = { keepPublicRoles: false, keptNames: ["Sarah Jones"] };
    expect(redact("Sarah Jones leads the council; John Smith wrote this.", { nameRules: rules })).toBe(
      `Sarah Jones leads the council; ${NAME} wrote this.`,
    );
  });

  it("finds names in every piece of a long comment", () => {
    const long = `${"The service was fine and the staff were kind to everyone there. ".repeat(30)}Sarah Jones was rude.`;
    expect(redact(long)).toContain(`${NAME} was rude.`);
    const cuts = pieces(long);
    expect(cuts.length).toBeGreaterThan(1);
    expect(cuts.map(([s, e]) => long.slice(s, e)).join("")).toBe(long);
  });

  it("runs without names when asked, for the cheap rules only", () => {
    expect(redact("John Smith, 07700 900123", { names: false })).toBe(`John Smith, ${PHONE_REMOVED}`);
  });
});

describe("redact: street addresses", () => {
  it.each([
    ["I live at 12 High Street, Melton", `I live at ${A}, Melton`],
    ["3a, Church Lane", A],
    ["27 St Mary's Road is flooded", `${A} is flooded`],
    ["write to 4 Rosemary Close", `write to ${A}`],
    ["at 221b Baker St.", `at ${A}.`],
    ["outside 14 station road", `outside ${A}`],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves streets without a number and numbers that are quantities alone", () => {
    for (const text of [
      "the High Street shops are empty",
      "5 minutes down the road",
      "a 10 minute walk from the bus",
      "2 hours on the way there",
      "I waited 3 weeks to close my case",
      "Ward 12 was clean",
      "the A6 3rd exit",
    ])
      expect(redact(text)).toBe(text);
  });
});

describe("findRedactions and applyRedactions", () => {
  it("give spans of the original text that an officer can drop one by one", () => {
    const text = "Mr Smith of 12 High Street";
    const found = findRedactions(text);
    expect(found.map((r) => [text.slice(r.start, r.end), r.kind])).toEqual([
      ["Smith", "name"],
      ["12 High Street", "address"],
    ]);
    expect(applyRedactions(text, found.slice(1)).text).toBe(`Mr Smith of ${A}`);
  });
});
