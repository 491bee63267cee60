// Where the CLI finds things when not told: the bundled personas beside the source tree.
import { fileURLToPath } from 'node:url';

export const bundledPersonaDir = fileURLToPath(new URL('../../personas', import.meta.url));

export const hachiVersion = '0.1.0';
