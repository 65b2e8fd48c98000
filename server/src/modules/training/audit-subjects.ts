import type { AuditSubject } from '../../house/module.ts';

const inClass = (table: string, tab: string) => `'/training/classes/' || (SELECT class_id FROM ${table} WHERE id = {id}) || '?tab=${tab}'`;

/** How the audit log names and opens training's records (enrolments and attendance are named by their trainee). */
export const trainingAuditSubjects: Record<string, AuditSubject> = {
  training_plan: { name: '(SELECT title FROM training_plans WHERE id = {id})', link: `'/training?tab=plans'` },
  training_class: { name: '(SELECT title FROM training_classes WHERE id = {id})', link: `'/training/classes/' || {id}` },
  training_session: { name: '(SELECT topic FROM training_sessions WHERE id = {id})', link: inClass('training_sessions', 'timetable') },
  training_course: { name: '(SELECT title FROM training_courses WHERE id = {id})', link: inClass('training_courses', 'courses') },
  training_material: {
    name: '(SELECT title FROM training_materials WHERE id = {id})',
    link: `'/training/classes/' || (SELECT c.class_id FROM training_materials m JOIN training_courses c ON c.id = m.course_id WHERE m.id = {id}) || '?tab=courses'`,
  },
  training_enrolment: { link: inClass('training_enrolments', 'trainees') },
  // Its entity id is `<session>:<enrolment>`: {id} is the session.
  training_attendance: { link: inClass('training_sessions', 'checkin') },
  training_certificate: { name: '(SELECT number FROM training_certificates WHERE id = {id})', link: `'/verify/' || (SELECT number FROM training_certificates WHERE id = {id})` },
};
