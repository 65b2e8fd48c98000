import { describe, expect, it } from 'vitest';
import { MODULE_ACCESS, ROLE_DEFINITIONS, ROLE_PRESETS, ROLES } from '@workers-home/contract';
import { MODULES } from '../src/modules/index.ts';

describe('module roles', () => {
  it('are each declared by a module of the server, and each gives some access', () => {
    const modules = new Set(MODULES.map((m) => m.name));
    const used = new Set<string>(Object.values(MODULE_ACCESS).flatMap((abilities) => Object.values(abilities as Record<string, readonly string[]>).flat()));
    for (const [role, definition] of Object.entries(ROLE_DEFINITIONS)) {
      expect(modules.has(definition.module), `${role} names module ${definition.module}`).toBe(true);
      if (role !== 'member') expect(used.has(role), `${role} gives no access`).toBe(true);
    }
  });

  it('presets name only declared roles', () => {
    for (const roles of Object.values(ROLE_PRESETS)) for (const role of roles) expect(ROLES).toContain(role);
  });
});
