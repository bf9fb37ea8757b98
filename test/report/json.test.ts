import { describe, expect, it } from 'vitest';
import { ComparisonSchema, type Comparison } from '../../src/contracts/comparison.js';
import { InvalidInputError } from '../../src/errors.js';
import { renderJson } from '../../src/report/json.js';
import { loadComparison } from './fixtures.js';

describe('renderJson', () => {
  it('writes pretty-printed comparison@2 JSON that parses back to the same comparison', () => {
    const c = loadComparison('mixed');
    const text = renderJson(c);
    expect(text).toMatch(/^\{\n {2}"schema": "collector-bench\/comparison@2",\n/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(ComparisonSchema.parse(JSON.parse(text))).toEqual(c);
  });

  it('refuses a comparison the schema rejects, naming the key and the value', () => {
    const bad = { ...loadComparison('mixed'), overall: 'catastrophe' } as unknown as Comparison;
    expect(() => renderJson(bad)).toThrow(InvalidInputError);
    expect(() => renderJson(bad)).toThrow(/key "overall" has value "catastrophe"/);
  });

  it('names nested keys by their path', () => {
    const c = loadComparison('mixed');
    const bad = { ...c, metrics: [{ ...c.metrics[0], verdict: 'red' }] } as unknown as Comparison;
    expect(() => renderJson(bad, 'out/comparison.json')).toThrow(
      /^out\/comparison\.json: key "metrics\.0\.verdict" has value "red"/,
    );
  });
});
