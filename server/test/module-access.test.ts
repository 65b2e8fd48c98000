import { describe, expect, it } from 'vitest';
import { MODULE_ACCESS } from '@workers-home/contract';
import { auditPolicy } from '../src/modules/audit/policy.ts';
import { authPolicy } from '../src/modules/auth/policy.ts';
import { orgPolicy } from '../src/modules/orgs/policy.ts';
import { peoplePolicy } from '../src/modules/people/policy.ts';
import { trainingPolicy } from '../src/modules/training/policy.ts';

describe('the web app\'s navigation rules', () => {
  it('match the server\'s policies, so the menu offers exactly what the server allows', () => {
    expect(MODULE_ACCESS).toEqual({ orgs: orgPolicy, people: peoplePolicy, auth: authPolicy, audit: auditPolicy, training: trainingPolicy });
  });
});
