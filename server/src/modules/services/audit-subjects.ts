import type { AuditSubject } from '../../house/module.ts';

/** How the audit log names and opens services' records. */
export const servicesAuditSubjects: Record<string, AuditSubject> = {
  services_plan: { name: '(SELECT name FROM services_plans WHERE id = {id})', link: `'/services/plans/' || {id}` },
  services_statement: {
    name: `(SELECT '缴费通知单 ' || s.id || '：' || o.name FROM services_statements s JOIN orgs o ON o.id = s.org_id WHERE s.id = {id})`,
    link: `(SELECT '/services/plans/' || plan_id FROM services_statements WHERE id = {id})`,
  },
  services_claim: { link: `'/services/claims/' || {id}` },
  services_batch: { name: `'支付批次 ' || {id}`, link: `'/services/batches/' || {id}` },
  services_document: {},
};
