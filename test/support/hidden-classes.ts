import { setFlagsFromString } from 'node:v8';

// Lets the function below use V8's own check; it changes nothing for code already compiled.
setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

/**
 * How many hidden classes (V8 maps) `objects` use between them. Objects a hot path reads should
 * share a few: V8 (node 20) gives each object written as `{ ...other, more }` a class of its own,
 * and a read that meets more than four classes misses V8's caches.
 */
export function hiddenClassCount(objects: readonly object[]): number {
  const seen: object[] = [];
  for (const object of objects) {
    if (!seen.some((known) => haveSameMap(known, object))) seen.push(object);
  }
  return seen.length;
}
