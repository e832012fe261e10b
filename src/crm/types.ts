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

export interface OwnerAssignment {
  /** The CRM owner set on the contact, or null when no mapping exists or an owner was already set. */
  owner_id: string | null;
  /** The note recording the claim (always written, so the claim is visible in the CRM either way). */
  note: CrmWrite;
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
  /** Records a Slack claim; sets the CRM owner only when mapped and the contact has none (never replaces one). */
  assignOwner(contactId: string, slackUserId: string, dedupeKey: string): Promise<OwnerAssignment>;
}
