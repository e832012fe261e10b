/** What the rest of the app knows about a CRM: the embedded SQLite one and HubSpot both implement it. */
export interface CrmContact {
  id: string;
  email: string;
  lifecycle_stage: string | null;
  owner_id: string | null;
  /** Deals associated with the contact (HubSpot only exposes `num_associated_deals` on contacts, open or not). */
  open_deals: number;
  lead_status: string | null;
}

export interface CrmCompany {
  id: string;
  domain: string;
  name: string | null;
  industry: string | null;
  employee_count: number | null;
  country: string | null;
  description: string | null;
  lifecycle_stage: string | null;
  open_deals: number;
  /** The company's CRM owner (HubSpot owner id; a Slack user id in the embedded CRM). */
  owner_id: string | null;
}

export interface CrmWrite {
  id: string;
  /** False when the record already existed (an upsert that updated, or a note/task found by its dedupe key). */
  created: boolean;
}

export interface CrmTaskInput {
  contactId: string;
  /** A queue or Slack user the task is meant for; HubSpot owners are not Slack users, so it is recorded in the body. */
  ownerHint: string | null;
  subject: string;
  body: string;
  due: Date;
  dedupeKey: string;
}

/** Who claimed a lead in Slack, and the CRM owner that person was resolved to (see crm/owner-resolver.ts). */
export interface OwnerClaim {
  slackUserId: string;
  /** The CRM owner id for the claimer; null when none could be resolved (the claim is then a note only). Ignored by the embedded CRM, whose owners are Slack users. */
  ownerId: string | null;
  /** How ownerId was found, or why it was not: written into the claim note. */
  via: 'policy' | 'email' | 'none';
  reason?: string;
  /** An owner this app itself set on the contact for an earlier claim of the same lead: a Reassign may replace it (never anyone else's). */
  replaceableOwnerId?: string | null;
  /** The note's first line when routing (not a click) chose the owner: who and why. Default "Claimed in Slack by user …". */
  headline?: string;
}

export interface OwnerAssignment {
  /** The CRM owner the contact now has because of this claim, or null when the owner was left unchanged. */
  owner_id: string | null;
  /** Why owner_id is null: no owner resolved for the claimer, the contact is already someone else's, or the CRM refused the owner. */
  unchanged?: { reason: 'unresolved' | 'owned_by_other' | 'rejected'; detail: string; current_owner?: { id: string; label: string } } | null;
  /** The note recording the claim (always written, so the claim is visible in the CRM either way). */
  note: CrmWrite;
}

/** A CRM user who can own records (HubSpot owner). */
export interface CrmOwner {
  id: string;
  email: string | null;
  label: string;
}

export interface Crm {
  readonly name: 'hubspot' | 'local';
  findContactByEmail(email: string): Promise<CrmContact | null>;
  findCompanyByDomain(domain: string): Promise<CrmCompany | null>;
  /** Idempotent by email. `properties` must already be filtered through the policy's field mapping. */
  upsertContact(email: string, properties: Record<string, string>): Promise<CrmWrite>;
  /** Idempotent by `dedupeKey`: a second call returns the first note. */
  addNote(contactId: string, body: string, dedupeKey: string): Promise<CrmWrite>;
  createTask(input: CrmTaskInput): Promise<CrmWrite>;
  /**
   * Records a Slack claim; sets the CRM owner only when the contact has none, already has this one, or has
   * `claim.replaceableOwnerId` (never replaces an owner a person set). Idempotent by `dedupeKey`.
   */
  assignOwner(contactId: string, claim: OwnerClaim, dedupeKey: string): Promise<OwnerAssignment>;
  /** The active CRM owner with this email (HubSpot only: the embedded CRM's owners are Slack users). */
  findOwnerByEmail?(email: string): Promise<CrmOwner | null>;
  /** A link a person can open to the contact's record, or null when it cannot be built now (HubSpot only). */
  recordUrl?(contactId: string): Promise<string | null>;
  /** The contact's requested properties by CRM id, or null when it does not exist (HubSpot only). */
  getContactProperties?(id: string, properties: string[]): Promise<Record<string, string | null> | null>;
}
