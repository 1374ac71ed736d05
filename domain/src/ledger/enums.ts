/** Enumerations used in ledger records. */

/** Kind of joint reward/punishment list (联合奖惩名单): red list 守信激励, black list 严重失信, key supervision 重点关注. */
export const LIST_TYPES = ['red', 'black', 'keySupervision'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/** Why a list entry was removed (移出): expiry 到期, credit repair 信用修复, objection upheld 异议成立, court decision 司法裁判. */
export const REMOVAL_REASONS = ['expired', 'creditRepair', 'objectionUpheld', 'courtDecision'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

/** Outcome of an objection (异议) answered by the issuing city. */
export const OBJECTION_OUTCOMES = ['upheld', 'rejected'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

/** Status of a filed credit-service agency (信用服务机构). */
export const AGENCY_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

/** Supervision actions (协同监管) a city may record against an agency. */
export const SUPERVISION_ACTIONS = ['inspection', 'warning', 'rectificationOrder', 'penalty', 'commendation'] as const;
export type SupervisionAction = (typeof SUPERVISION_ACTIONS)[number];

/** A city's decision on another city's document (互认). */
export const RECOGNITION_DECISIONS = ['accepted', 'rejected'] as const;
export type RecognitionDecision = (typeof RECOGNITION_DECISIONS)[number];

/** What a registered key is used for: signing documents, or authenticating the city's gateway to other gateways. */
export const KEY_USES = ['document', 'gateway'] as const;
export type KeyUse = (typeof KEY_USES)[number];

/** Status of an anchored document as recorded by its issuer. */
export const DOCUMENT_STATUSES = ['active', 'revoked', 'superseded'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Why a city revoked one of its keys (the reason codes of RFC 5280 §5.3.1 that apply to a signing key). */
export const KEY_REVOCATION_REASONS = ['keyCompromise', 'superseded', 'cessationOfOperation', 'unspecified'] as const;
export type KeyRevocationReason = (typeof KEY_REVOCATION_REASONS)[number];

/**
 * Roles of the identities registered on the ledger besides the cities: a cross-region
 * regulator (监管部门) or a member of the service-agency alliance (信用服务机构联盟).
 */
export const IDENTITY_ROLES = ['regulator', 'alliance'] as const;
export type IdentityRole = (typeof IDENTITY_ROLES)[number];

/** How many of the five cities must approve an identity before it is active (a majority). */
export const IDENTITY_QUORUM = 3;
