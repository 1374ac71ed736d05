import { Returns as fabricReturns, Transaction as fabricTransaction } from 'fabric-contract-api';

/**
 * The `@Transaction` and `@Returns` decorators of the contracts, usable under
 * both decorator semantics this code is compiled with:
 *
 * - the build (`tsc`, `experimentalDecorators` + `emitDecoratorMetadata`) calls
 *   them as legacy decorators `(prototype, name)`; they delegate to
 *   fabric-contract-api, which records the metadata the chaincode server
 *   dispatches on (transaction names, submit/evaluate tags, parameter types);
 * - the unit tests run through tsx, whose esbuild sees no tsconfig with
 *   `experimentalDecorators` and applies TC39 standard decorators
 *   `(method, context)`, which fabric-contract-api cannot take. There the
 *   method is left as it is (tests call contract methods directly).
 *
 * Either way the transaction is listed in {@link declaredTransactions}.
 */

/** Whether a transaction is submitted (writes) or only evaluated (query). */
export type TransactionKind = 'submit' | 'evaluate';

const declared = new WeakMap<object, Map<string, TransactionKind>>();

function declare(constructor: object, name: string, kind: TransactionKind): void {
  let byName = declared.get(constructor);
  if (!byName) {
    byName = new Map();
    declared.set(constructor, byName);
  }
  byName.set(name, kind);
}

/**
 * The transactions declared with {@link Transaction} on a contract instance's
 * class, by name. Under standard decorators they are known once an instance
 * has been constructed.
 */
export function declaredTransactions(contract: object): ReadonlyMap<string, TransactionKind> {
  return declared.get(contract.constructor) ?? new Map();
}

interface StandardMethodContext {
  kind: 'method';
  name: string | symbol;
  addInitializer(initializer: (this: object) => void): void;
}

function isStandardContext(value: unknown): value is StandardMethodContext {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'method';
}

/** A method decorator callable with legacy `(prototype, name, descriptor)` or standard `(method, context)` arguments. */
type DualMethodDecorator = (...args: unknown[]) => void;

/**
 * Marks a contract method as a transaction: `@Transaction()` for one that
 * writes, `@Transaction(false)` for a query.
 */
export function Transaction(submit = true): DualMethodDecorator {
  const kind: TransactionKind = submit ? 'submit' : 'evaluate';
  return (...args: unknown[]) => {
    const [first, second] = args;
    if (isStandardContext(second)) {
      const name = String(second.name);
      second.addInitializer(function (this: object) {
        declare(this.constructor, name, kind);
      });
      return;
    }
    const prototype = first as { constructor: object };
    declare(prototype.constructor, String(second), kind);
    fabricTransaction(submit)(prototype, second as string);
  };
}

/** Declares the wire type of a transaction's result (always `string` here: JSON text). */
export function Returns(type: string): DualMethodDecorator {
  return (...args: unknown[]) => {
    const [first, second] = args;
    if (isStandardContext(second)) return;
    fabricReturns(type)(first, second as string);
  };
}
