/** Siting runs use the one job registry every long-running request shares. */
export { createJobRegistry, type Job } from '../../shared/jobs.js';
