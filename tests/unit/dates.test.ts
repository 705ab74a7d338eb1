import { describe, expect, it } from "vitest";
import { ukDate, ukDateTime, ukTime } from "../../analysis/dates.js";

describe("dates and times in UK time", () => {
  it("shows a closing moment in UK time with its time, across British Summer Time", () => {
    // 23:59:59 UTC on 1 May is 00:59 on 2 May in BST: the day and the time both change.
    expect(ukDateTime("2027-05-01T23:59:59Z")).toBe("12:59am on 2 May 2027");
    // 22:59 UTC in BST is 11:59pm UK time on the same day.
    expect(ukDateTime("2027-05-01T22:59:00Z")).toBe("11:59pm on 1 May 2027");
    // In winter UK time is UTC.
    expect(ukDateTime("2027-01-10T17:30:00Z")).toBe("5:30pm on 10 January 2027");
    expect(ukDate("2027-01-10T23:30:00Z")).toBe("10 January 2027");
  });

  it("says the hour alone, midday and midnight as GOV.UK style does", () => {
    expect(ukTime("2027-01-10T10:00:00Z")).toBe("10am");
    expect(ukTime("2027-01-10T12:00:00Z")).toBe("midday");
    expect(ukDateTime("2027-01-11T00:00:00Z")).toBe("midnight at the start of 11 January 2027");
  });
});
