import { CHECK_NAMES, type CheckName, type CheckState } from '../checks.js';
import type { MessageParams } from '../messages.js';
import type { CheckResult, SignatureResult } from '../verdict.js';

/** The results of the checks as they are decided; checks never decided are reported `not-checked`. */
export class Checklist {
  readonly #results = new Map<CheckName, CheckResult>();

  /** Records a check's outcome (a later call replaces an earlier one). */
  set(
    check: CheckName,
    state: CheckState,
    reason: string,
    detail: string,
    signatures?: SignatureResult[],
    params: MessageParams = {},
  ): void {
    const result: CheckResult = { check, state, ok: state === 'passed', reason, detail, message: { code: `${check}.${reason}`, params } };
    if (signatures) result.signatures = signatures;
    this.#results.set(check, result);
  }

  /** Records a passed check. */
  pass(check: CheckName, reason: string, detail: string, params?: MessageParams): void {
    this.set(check, 'passed', reason, detail, undefined, params);
  }

  /** Records a failed check. */
  fail(check: CheckName, reason: string, detail: string, params?: MessageParams): void {
    this.set(check, 'failed', reason, detail, undefined, params);
  }

  /** The checks in the reported order; a check never decided is `not-checked`, reason `unreadable`. */
  list(): CheckResult[] {
    return CHECK_NAMES.map(
      (check) =>
        this.#results.get(check) ?? {
          check,
          state: 'not-checked' as const,
          ok: false,
          reason: 'unreadable',
          detail: 'not checked: the document could not be read',
          message: { code: `${check}.unreadable`, params: {} },
        },
    );
  }
}
