import { describe, expect, it } from 'vitest';
import { wasmTieringFlag } from './open.js';

describe('the embedded store defers V8 optimising PostgreSQL until it runs hot in service', () => {
  it('raises the tier-up threshold far above V8 default of 1.8 M', () => {
    const flag = wasmTieringFlag([]);
    expect(flag).toMatch(/^--wasm-tiering-budget=\d+$/);
    expect(Number(flag!.split('=')[1])).toBeGreaterThanOrEqual(100 * 1_800_000);
  });

  it('keeps a threshold the user gave node', () => {
    expect(wasmTieringFlag(['--wasm-tiering-budget=1800000'])).toBeUndefined();
    expect(wasmTieringFlag(['--enable-source-maps', '--wasm_tiering_budget=5'])).toBeUndefined();
    expect(wasmTieringFlag(['--wasm-tiering-budgets-are-not-a-flag'])).toMatch(/^--wasm-tiering-budget=/);
  });
});
