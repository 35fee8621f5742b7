// Configuration reads phones with the core's rule (src/core/phone.ts).
export { normalizePhone } from '../core/phone.js';
