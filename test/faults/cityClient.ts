/**
 * A credit centre's client inside a city's own namespace (`--hosts` mode): it issues reports
 * at its city's gateway for a while, in both anchoring modes, sending a request again with the
 * same Idempotency-Key when the answer does not come or is a 5xx, and prints on stdout one
 * JSON line: the documents answered 202 and the errors it saw. The city-cut-off scenario runs
 * it with `ip netns exec <city namespace>`, so it keeps reaching its gateway while the city's
 * link to the others is down, as the city's own offices would.
 *
 * Usage: `node --import tsx test/faults/cityClient.ts <gateway url> <seconds> <tag>`, the operator token in `JCC_FAULT_TOKEN`.
 */
import { usccCheckCharacter } from '@jcc/domain';

const [url, seconds, tag] = process.argv.slice(2);
const bearer = process.env.JCC_FAULT_TOKEN;
if (!url || !seconds || !tag || !bearer) {
  process.stderr.write('usage: cityClient.ts <gateway url> <seconds> <tag> (operator token in JCC_FAULT_TOKEN)\n');
  process.exit(2);
}
const until = Date.now() + Number(seconds) * 1000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const accepted: { id: string; mode: 'single' | 'batch'; at: number }[] = [];
const errors: Record<string, number> = {};
const seen = (key: string) => void (errors[key] = (errors[key] ?? 0) + 1);

/** A valid USCC for document `i` of this run (the check character computed). */
function uscc(i: number): string {
  const body = `91371000${`${tag}${i}`
    .toUpperCase()
    .replace(/[^0-9A-HJ-NPQRTUWXY]/g, '0')
    .slice(-9)
    .padStart(9, '0')}`;
  return body + usccCheckCharacter(body);
}

let n = 0;
async function client(): Promise<void> {
  while (Date.now() < until) {
    const i = ++n;
    const mode = i % 2 ? 'single' : 'batch';
    const body = JSON.stringify({
      subject: { kind: 'enterprise', uscc: uscc(i) },
      reportType: 'publicCreditReport',
      content: { n: i, tag },
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      anchor: mode,
    });
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        const res = await fetch(`${url}/api/v1/reports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': `cut-${tag}-${i}` },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        if (res.status === 202) {
          accepted.push({ id: ((await res.json()) as { id: string }).id, mode, at: Date.now() });
          break;
        }
        const problem = (await res.json().catch(() => ({}))) as { title?: string };
        seen(`issue ${res.status} ${problem.title ?? ''}`.trim());
        if (res.status < 500) break;
      } catch (err) {
        seen(`connection ${(err as { cause?: { code?: string }; name?: string }).cause?.code ?? (err as Error).name}`);
      }
      await pause(200);
    }
    await pause(100);
  }
}

await Promise.all(Array.from({ length: 4 }, client));
process.stdout.write(JSON.stringify({ accepted, errors }) + '\n');
