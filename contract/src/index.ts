export * from './common.ts';
export * from './problems.ts';
export * from './national-id.ts';
export * from './orgs.ts';
export * from './people.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './access.ts';
