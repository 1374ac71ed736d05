import { z } from 'zod';
import { documentTypeField, timestampField } from '@jcc/domain';
import { subjectSchema } from './subject.js';

/** Body of `POST /api/v1/reports`. */
export const issueReportBody = z
  .strictObject({
    subject: subjectSchema,
    docType: documentTypeField.default('creditReport').describe('document type (default creditReport)'),
    reportType: z
      .string()
      .min(1)
      .max(100)
      .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'must not contain control characters')
      .describe('kind of report, e.g. publicCreditReport, noViolationCertificate'),
    content: z.record(z.string(), z.unknown()).default({}).describe('type-specific content, written into the signed document (off-chain)'),
    validUntil: timestampField.describe('RFC 3339 UTC timestamp after which the document is no longer in force (must lie in the future)'),
    anchor: z.enum(['single', 'batch']).default('single').describe('single: one transaction; batch: a leaf of a Merkle batch'),
  })
  .describe('A document to issue');
