import { defineBackground } from 'wxt/utils/define-background';
import { startWorker } from '../lib/worker/start';

export default defineBackground({
  type: 'module',
  main() {
    startWorker();
  },
});
