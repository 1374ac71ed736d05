/**
 * The demo loader: realistic synthetic data for the five cities, sent through
 * the gateways' REST API over HTTP (never straight to the ledger), and the
 * three sample documents.
 *
 * Loading is idempotent. Every record has a fixed id or a fixed
 * `Idempotency-Key`, every request body depends only on the demo's epoch
 * (which the ledger keeps), and each step first asks the ledger or the
 * gateway whether its record is already there. Loading again therefore
 * creates nothing new and hands out the same sample documents.
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import { CITIES, type CityId } from '@jcc/domain';
import { waitForGatewayReady } from '../../network/src/polling.js';
import { AGENCIES, loadAgencies } from './agencies.js';
import { AGREEMENTS, loadAgreements, resolveDates } from './agreements.js';
import { GatewayError } from './client.js';
import { Tally, createContext, defaultGatewayUrls, type DemoContext } from './context.js';
import { DemoDates } from './dates.js';
import { ENTERPRISES } from './enterprises.js';
import { loadEvaluations } from './evaluations.js';
import { LIST_ENTRIES, loadListEntries } from './listEntries.js';
import { DEMO_VERSION, readMarker, writeMarker } from './marker.js';
import { RECOGNITIONS, loadRecognitions } from './recognitions.js';
import { REPORTS, issueReports, revokeReports, waitForAnchoring, type IssuedReport } from './reports.js';
import { writeSamples, type Samples } from './samples.js';
import { REPO_ROOT } from './session.js';

/** Options of {@link loadDemo}. */
export interface LoadDemoOptions {
  /** Gateway base URLs by city (default: the local network's, ports 8101-8105). */
  urls?: Record<CityId, string>;
  /** Where the marker and the samples go (default `.data/demo`). */
  outDir?: string;
  /** The gateways' store folders, for signing tokens (default: each gateway's configuration). */
  storeDirs?: Partial<Record<CityId, string>>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** A demo document, as loaded. */
export interface DemoDocument {
  key: string;
  city: CityId;
  id: string;
  docType: string;
  anchor: 'single' | 'batch';
  state: string;
}

/** What {@link loadDemo} did and where to find it. */
export interface DemoResult {
  /** The demo's epoch (the day it was first loaded). */
  epoch: string;
  /** Records this run created, and records it found already present. */
  created: number;
  reused: number;
  tally: Record<string, { created: number; reused: number }>;
  seconds: number;
  /** One line describing the data set. */
  description: string;
  outDir: string;
  samplesDir: string;
  markerFile: string;
  enterprises: Array<{ key: string; city: CityId; name: string; uscc: string }>;
  agencies: Array<{ city: CityId; name: string; uscc: string; status: string; allianceMember: boolean }>;
  documents: DemoDocument[];
  samples: Samples;
}

/** The data set in one line. */
export function describeDemo(): string {
  const single = REPORTS.filter((r) => r.anchor === 'single').length;
  const lists = LIST_ENTRIES.map((l) => l.listType);
  const active = AGREEMENTS.filter((a) => a.accept).length;
  const accepted = RECOGNITIONS.filter((r) => r.decision === 'accepted').length;
  return (
    `${ENTERPRISES.length} enterprises in ${CITIES.length} cities; ${REPORTS.length} signed documents ` +
    `(${single} anchored alone, ${REPORTS.length - single} in Merkle batches, 1 revoked); ` +
    `${ENTERPRISES.length} evaluations graded A–D; ${LIST_ENTRIES.length} list entries ` +
    `(${lists.filter((t) => t === 'red').length} red, ${lists.filter((t) => t === 'black').length} black — one removed by credit repair, ` +
    `one with an objection answered — ${lists.filter((t) => t === 'keySupervision').length} key supervision); ` +
    `${AGENCIES.length} agencies (1 suspended, ${AGENCIES.reduce((n, a) => n + a.supervision.length, 0)} supervision actions by other cities); ` +
    `${AGREEMENTS.length} recognition agreements (${active} accepted, ${AGREEMENTS.length - active} awaiting acceptance); ` +
    `${RECOGNITIONS.length} recognitions (${accepted} accepted, ${RECOGNITIONS.length - accepted} rejected)`
  );
}

/** Waits until each gateway answers `/readyz` (the one readiness poller), naming those that do not. */
async function waitForGateways(urls: Record<CityId, string>, timeoutMs = 120_000): Promise<void> {
  const results = await Promise.allSettled(CITIES.map((c) => waitForGatewayReady(urls[c.id], { timeoutMs, intervalMs: 1000 })));
  const notReady = CITIES.filter((_, i) => results[i]?.status === 'rejected').map((c) => `${c.id} (${urls[c.id]})`);
  if (notReady.length > 0) throw new Error(`gateways not ready: ${notReady.join(', ')} — start them with \`npm run gateways\``);
}

/** Runs one step with its own tally (steps may run side by side), logging what it wrote and how long it took. */
async function step<T>(ctx: DemoContext, name: string, work: (stepCtx: DemoContext) => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const tally = new Tally();
  const result = await work({ ...ctx, tally });
  ctx.tally.add(tally);
  const what =
    tally.created > 0
      ? `${tally.created} written, ${tally.reused} already present`
      : tally.reused > 0
        ? `all ${tally.reused} already present`
        : 'done';
  ctx.log(`${name}: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

/** Loads the demo data (or finds it loaded) and writes the samples and the marker. */
export async function loadDemo(options: LoadDemoOptions = {}): Promise<DemoResult> {
  const t0 = Date.now();
  const urls = options.urls ?? defaultGatewayUrls();
  const outDir = options.outDir ?? join(REPO_ROOT, '.data', 'demo');
  const markerFile = join(outDir, 'demo.json');
  const samplesDir = join(outDir, 'samples');
  const log = options.log ?? (() => undefined);

  await waitForGateways(urls);
  const ctx = await createContext({ urls, dates: DemoDates.today(), log, ...(options.storeDirs ? { storeDirs: options.storeDirs } : {}) });
  const marker = await readMarker(markerFile);
  const { dates, fromLedger } = await resolveDates(ctx.operator('qingdao'));
  ctx.dates = dates;
  if (marker) log(`marker ${markerFile} says first loaded ${marker.firstLoadedAt}; checking the ledger and the gateways`);
  log(
    fromLedger
      ? `demo epoch ${dates.epoch} (found on the ledger): reusing what exists`
      : `no demo data on the ledger: loading it (epoch ${dates.epoch})`,
  );

  let issued: IssuedReport[];
  try {
    await step(ctx, 'recognition agreements', (c) => loadAgreements(c));
    issued = await step(ctx, 'signed documents issued', (c) => issueReports(c));
  } catch (err) {
    if (err instanceof GatewayError && err.status === 422) {
      throw new Error(
        `${err.message}\nthe gateways hold demo documents that differ from this demo (another version or epoch); ` +
          'reset with `npm run network:down -- --purge` to load it afresh',
      );
    }
    throw err;
  }
  await Promise.all([
    step(ctx, 'agencies, suspension, supervision', (c) => loadAgencies(c)),
    step(ctx, 'evaluations', (c) => loadEvaluations(c)),
    step(ctx, 'list entries, credit repair, objection', (c) => loadListEntries(c)),
  ]);
  const states = await step(ctx, 'anchoring (single and batch)', (c) => waitForAnchoring(c, issued));
  await step(ctx, 'revocation', (c) => revokeReports(c, issued, states));
  await step(ctx, 'recognitions', (c) => loadRecognitions(c, issued));

  const byKey = (key: string): IssuedReport => {
    const found = issued.find((r) => r.plan.key === key);
    if (!found) throw new Error(`no demo document ${key}`);
    return found;
  };
  const samples = await writeSamples(
    samplesDir,
    { valid: byKey('qingdao-batch'), revoked: byKey('qingdao-revoked'), tampered: byKey('qingdao-single') },
    states,
    'yantai',
  );

  const documents = issued.map<DemoDocument>((r) => ({
    key: r.plan.key,
    city: r.plan.city,
    id: r.id,
    docType: r.plan.docType,
    anchor: r.plan.anchor,
    state: states.get(r.id)?.state ?? 'unknown',
  }));
  const now = new Date().toISOString();
  const documentIds = Object.fromEntries(documents.map((d) => [d.key, d.id]));
  if (marker) {
    const changed = Object.entries(documentIds).filter(([key, id]) => marker.documents[key] !== undefined && marker.documents[key] !== id);
    if (changed.length > 0) log(`note: ${changed.length} document id(s) differ from the marker's (the gateways' stores were reset?)`);
  }
  await writeMarker(markerFile, {
    version: DEMO_VERSION,
    epoch: dates.epoch,
    firstLoadedAt: marker?.epoch === dates.epoch ? marker.firstLoadedAt : now,
    lastLoadedAt: now,
    documents: documentIds,
    samples: { valid: samples.valid.documentId, revoked: samples.revoked.documentId, tampered: samples.tampered.documentId },
    lastLoad: ctx.tally.toJSON(),
  });
  return {
    epoch: dates.epoch,
    created: ctx.tally.created,
    reused: ctx.tally.reused,
    tally: ctx.tally.toJSON(),
    seconds: (Date.now() - t0) / 1000,
    description: describeDemo(),
    outDir,
    samplesDir,
    markerFile,
    enterprises: ENTERPRISES.map((e) => ({ key: e.key, city: e.city, name: e.name, uscc: e.uscc })),
    agencies: AGENCIES.map((a) => ({
      city: a.city,
      name: a.name,
      uscc: a.uscc,
      status: a.status?.status ?? 'active',
      allianceMember: a.allianceMember,
    })),
    documents,
    samples,
  };
}
