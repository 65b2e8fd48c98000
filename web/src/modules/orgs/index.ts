/** What other modules use of orgs: the organization picker, level labels and the organization queries. */
export { orgQuery, orgSearchQuery } from './api.ts';
export { LEVEL_LABEL } from './components/org-labels.ts';
export { OrgSelect } from './components/org-select.tsx';
