import { z } from 'zod';
import { coded } from './messages/errors.ts';
import { Id, Pagination } from './common.ts';
import { ROLES, type RoleName } from './roles.ts';

export const Role = z.enum(ROLES);
export type Role = RoleName;

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => /^[a-z0-9][a-z0-9._-]{2,39}$/.test(value), coded('auth.username.format'));
export const Password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

export const LoginInput = z.object({ username: z.string().trim().toLowerCase().min(1).max(40), password: z.string().min(1).max(200) }).strict();
export const PasswordChange = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }).strict();
/** An admin sets a new password for an account of their subtree (its sessions end). */
export const PasswordReset = z.object({ newPassword: Password }).strict();

export const Grant = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  orgId: z.number().int(),
  orgName: z.string(),
  grantedAt: z.string(),
});
export const GrantCreate = z.object({ accountId: Id, role: Role, orgId: Id }).strict();
export const GrantListQuery = Pagination.extend({ orgId: Id.optional(), accountId: Id.optional() }).strict();

export const Account = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  personId: z.number().int().nullable(),
  status: z.enum(['active', 'disabled']),
  lastLoginAt: z.string().nullable(),
  /** The organization the account belongs to: admins of its subtree see and manage it. A member's follows their union. */
  homeOrgId: z.number().int().nullable(),
  homeOrgName: z.string().nullable(),
});
export const AccountCreate = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(50),
    password: Password,
    personId: Id.optional(),
    grant: z.object({ role: Role, orgId: Id }).strict(),
  })
  .strict();
export const AccountListQuery = Pagination.extend({ q: z.string().trim().max(40).optional() }).strict();

export const Me = z.object({
  account: Account,
  grants: z.array(Grant),
});

export type Account = z.infer<typeof Account>;
export type Grant = z.infer<typeof Grant>;
export type Me = z.infer<typeof Me>;
