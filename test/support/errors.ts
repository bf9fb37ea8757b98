import { expect } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';

/** Runs `fn`, which must throw an InvalidInputError, and returns that error for its message to be checked. */
export function invalidInputOf(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return e as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}
