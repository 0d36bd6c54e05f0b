/**
 * The one place zod is configured. The extension CSP forbids `eval`/`new Function`, so zod must
 * never try its JIT fast path. Every other module imports `z` from here, never from 'zod'.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
