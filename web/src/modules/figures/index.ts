/** What other modules use of figures: a subtree's training reach (on the organization page). */
export { TrainingReach } from './components/training-reach.tsx';
