import type { z } from 'zod';

/**
 * `true` when the zod schema S describes the values of type V: every V is a valid output of S, and S names every
 * top-level key of V. Written `true satisfies Describes<typeof Schema, View>` beside a schema, it makes the compiler
 * keep an answer's documented schema and the code that builds the answer in step.
 */
export type Describes<S extends z.ZodType, V> = [V] extends [z.output<S>]
  ? [Exclude<keyof V, keyof z.output<S>>] extends [never]
    ? true
    : { undescribed: Exclude<keyof V, keyof z.output<S>> }
  : { notAnOutputOf: S; value: V };
