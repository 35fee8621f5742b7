// Compiled helper programs the multi-host tests run on their namespace hosts.
import { fileURLToPath } from 'node:url';

export const driverPath = fileURLToPath(new URL('./load-driver.js', import.meta.url));
