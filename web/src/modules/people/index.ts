/** What other modules use of people: the member table and a union's cadres (on the organization page). */
export { MemberTable } from './components/member-table.tsx';
export { OrgCadres } from './components/org-cadres.tsx';
