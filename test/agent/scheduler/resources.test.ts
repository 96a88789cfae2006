import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRng,
  formatAmount,
  PortSet,
  parseRanges,
  SchedulerError,
  shuffle,
  toAmounts,
  toFixed,
} from "../../../agent/scheduler/index.js";

describe("fixed-point resources", () => {
  it("adds ten tenths of a cpu up to exactly one cpu", () => {
    const tenth = toFixed({ cpus: 0.1 }).cpus;
    expect(Array.from({ length: 10 }, () => tenth).reduce((a, b) => a + b, 0)).toBe(
      toFixed({ cpus: 1 }).cpus,
    );
  });

  it("keeps three decimals of cpus, mem and disk and converts back", () => {
    expect(toAmounts(toFixed({ cpus: 1.234, mem: 128.5, disk: 0.001, gpus: 2 }))).toEqual({
      cpus: 1.234,
      mem: 128.5,
      disk: 0.001,
      gpus: 2,
    });
  });

  it("refuses negative amounts and fractional gpus", () => {
    expect(() => toFixed({ cpus: -1 })).toThrow(SchedulerError);
    expect(() => toFixed({ gpus: 0.5 })).toThrow(/whole number/);
  });

  it("names amounts the way explanations print them", () => {
    expect(formatAmount("mem", toFixed({ mem: 2048 }).mem)).toBe("2048 MB mem");
    expect(formatAmount("cpus", toFixed({ cpus: 1.5 }).cpus)).toBe("1.5 cpus");
  });
});

describe("port sets as interval lists", () => {
  it("parses the Mesos text form and merges overlapping ranges", () => {
    expect(parseRanges("[31000-32000, 8080]")).toEqual([
      [31000, 32000],
      [8080, 8080],
    ]);
    expect(
      PortSet.from([
        [10, 20],
        [15, 30],
        [31, 31],
      ]).ranges(),
    ).toEqual([[10, 31]]);
    expect(PortSet.from("[31000-32000]").size).toBe(1001);
  });

  it("hands out the lowest free ports and takes exact ones only if all are free", () => {
    const set = PortSet.from([[100, 105]]);
    expect(set.lowest(2, [100])).toEqual([101, 102]);
    expect(set.take([100, 103])).toBe(true);
    expect(set.ranges()).toEqual([
      [101, 102],
      [104, 105],
    ]);
    expect(set.take([101, 103])).toBe(false);
    expect(set.has(101)).toBe(true);
    expect(set.take([104, 104])).toBe(false);
    expect(set.lowest(5)).toBeUndefined();
  });

  it("behaves like a plain set of ports under any sequence of takes and releases", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 40 })), { maxLength: 80 }),
        (ops) => {
          const set = PortSet.from([[1, 40]]);
          const model = new Set(Array.from({ length: 40 }, (_, i) => i + 1));
          for (const [take, p] of ops) {
            if (take) expect(set.take([p])).toBe(model.delete(p));
            else {
              set.add([p]);
              model.add(p);
            }
            expect(set.size).toBe(model.size);
          }
          expect(set.lowest(model.size)).toEqual([...model].sort((a, b) => a - b));
        },
      ),
      { seed: 4 },
    );
  });
});

describe("seeded randomness", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(shuffle([1, 2, 3, 4, 5, 6], createRng(1))).toEqual(shuffle([1, 2, 3, 4, 5, 6], createRng(1)));
  });
});
