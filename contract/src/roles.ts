/**
 * Roles are declared by the modules that give them meaning (a federation works by department:
 * the organization department keeps the roster, the publicity department the news…). Each is
 * granted on an organization and reaches its subtree. `member` is the person's own role on
 * their union (granted with their account, following their membership).
 *
 * `excludes`: roles that one account may not hold on overlapping subtrees (separation of
 * duties: whoever pays out a claim must not be whoever approves it). Checked when granting,
 * both ways.
 */
export interface RoleDefinition {
  module: string;
  excludes?: readonly string[];
}

export const ROLE_DEFINITIONS = {
  member: { module: 'people' },
  'orgs.admin': { module: 'orgs' },
  'orgs.reader': { module: 'orgs' },
  'people.admin': { module: 'people' },
  'people.reader': { module: 'people' },
  'auth.admin': { module: 'auth' },
  'audit.reader': { module: 'audit' },
  'training.organizer': { module: 'training' },
  'training.reader': { module: 'training' },
  'news.editor': { module: 'news' },
  'news.chief-editor': { module: 'news' },
  /** Huigong Bao's office: plans, enrolment, contribution statements, claims filed for members, reports. */
  'services.manager': { module: 'services' },
  /** Reviews claims waiting at their organizations. */
  'services.reviewer': { module: 'services' },
  /** Builds payout batches and records them paid; never the approver of the same claims. */
  'services.payer': { module: 'services', excludes: ['services.reviewer'] },
} as const satisfies Record<string, RoleDefinition>;

// No zod here: the web's menu reads roles and MODULE_ACCESS on its first page (the zod schema is Role in auth.ts).
export type RoleName = keyof typeof ROLE_DEFINITIONS;
type Role = RoleName;
export const ROLES = Object.keys(ROLE_DEFINITIONS) as [Role, ...Role[]];

/** Every role but `member`: the roles of a union's staff. */
export const STAFF_ROLES = ROLES.filter((role) => role !== 'member');

/**
 * Common sets of roles, for granting a whole job at once (and for the six roles of before
 * module roles: migration 0036 turned each grant of one into these).
 */
export const ROLE_PRESETS = {
  /** A union's administrator: every module's managing role. */
  admin: ['orgs.admin', 'people.admin', 'auth.admin', 'audit.reader', 'training.organizer', 'services.manager'],
  /** Runs training classes, and reads the roster to enrol from it. */
  organizer: ['training.organizer', 'people.reader'],
  reviewer: ['people.reader', 'training.reader'],
  /** Writes the news of the organization's newsroom (the chief editor, news.chief-editor, is granted on its own). */
  editor: ['orgs.reader', 'news.editor'],
  auditor: ['audit.reader', 'people.reader', 'training.reader'],
  /** Runs Huigong Bao for a union: plans, enrolment, statements, claims for members (reads the roster to enrol from it). */
  services: ['services.manager', 'people.reader'],
  member: ['member'],
} as const satisfies Record<string, readonly Role[]>;
export type RolePreset = keyof typeof ROLE_PRESETS;

/** Pairs of roles one account may not hold on overlapping subtrees (from `excludes`, both ways). */
export function conflictingRoles(role: Role, definitions: Record<string, RoleDefinition> = ROLE_DEFINITIONS): string[] {
  const own = definitions[role]?.excludes ?? [];
  const others = Object.entries(definitions).filter(([, d]) => d.excludes?.includes(role)).map(([name]) => name);
  return [...new Set([...own, ...others])];
}
