import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground({
  type: 'module',
  main() {
    // Listeners are registered synchronously here (see lib/background/start.ts once it exists).
    console.info('[safepause] background started');
  },
});
