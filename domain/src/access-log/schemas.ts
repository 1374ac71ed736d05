import { z } from 'zod';
import { CITY_IDS, type CityId } from '../cities.js';
import { treeHeadRecordSchema } from '../ledger/record-schemas.js';
import {
  ACCESS_ACTIONS,
  ACCESS_ENTRY_FORMAT,
  ACCESS_LOG_SCHEME,
  TREE_HEAD_FORMAT,
  type AccessLogEntry,
  type Accessor,
  type TreeHead,
} from './formats.js';
import { ACCESS_REPORT_FORMAT, type AccessReport, type CityAccessPart, type ReportEntry } from './report.js';

/**
 * zod schemas of the access log's formats (`formats.ts` and `report.ts`
 * describe each member), as the gateway's answers carry them: its OpenAPI
 * document, and the client types generated from it, state them from here.
 * Each is typed against its interface (`satisfies`).
 */

const city = z.enum(CITY_IDS as [CityId, ...CityId[]]);
const hex = z.string().describe('lowercase hex SHA-256');

/** {@link Accessor}. */
export const accessorSchema = z.object({
  role: z.string(),
  city: city.optional(),
  identity: z.string().optional(),
  subject: z.string().describe('the token subject (a staff or system name; never a personal identifier)'),
}) satisfies z.ZodType<Accessor>;

/** {@link AccessLogEntry}. */
export const accessLogEntrySchema = z.object({
  v: z.literal(ACCESS_ENTRY_FORMAT),
  log: z.string(),
  index: z.number().int(),
  at: z.string(),
  action: z.enum(ACCESS_ACTIONS),
  subjectPseudonym: z.string(),
  accessor: accessorSchema,
  document: z.object({ city, id: z.string() }).optional(),
}) satisfies z.ZodType<AccessLogEntry>;

/** {@link TreeHead}: the payload of a signed tree head. */
export const treeHeadSchema = z.object({
  v: z.literal(TREE_HEAD_FORMAT),
  city,
  log: z.string().optional(),
  treeSize: z.number().int(),
  rootHash: hex,
  timestamp: z.string(),
  scheme: z.literal(ACCESS_LOG_SCHEME),
}) satisfies z.ZodType<TreeHead>;

/** {@link ReportEntry}: an entry with its inclusion proof in a tree head. */
export const reportEntrySchema = z.object({
  entry: accessLogEntrySchema,
  entryHash: hex,
  proof: z.object({
    leafHash: hex,
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    auditPath: z.array(hex),
    root: hex,
  }),
}) satisfies z.ZodType<ReportEntry>;

/** {@link CityAccessPart}: one city's part of a subject access report. */
export const cityAccessPartSchema = z.object({
  status: z.enum(['verified', 'failed', 'unavailable']),
  log: z.string().optional(),
  head: treeHeadRecordSchema.nullable(),
  entries: z.array(reportEntrySchema),
  pending: z.number().int(),
  problems: z.array(z.string()),
}) satisfies z.ZodType<CityAccessPart>;

/** {@link AccessReport}: the subject access report (知情权). */
export const accessReportSchema = z.object({
  format: z.literal(ACCESS_REPORT_FORMAT),
  subjectPseudonym: z.string(),
  generatedAt: z.string(),
  generatedBy: z.object({ city, accessor: accessorSchema }),
  cities: z.partialRecord(city, cityAccessPartSchema),
  accesses: z.array(
    accessLogEntrySchema.pick({ at: true, log: true, index: true, action: true, accessor: true, document: true }).extend({ city }),
  ),
  verified: z.boolean(),
}) satisfies z.ZodType<AccessReport>;
