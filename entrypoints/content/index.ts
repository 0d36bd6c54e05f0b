import { defineContentScript } from 'wxt/utils/define-content-script';
import { startOverlay } from '../../lib/overlay/controller';

export default defineContentScript({
  matches: ['https://ads.tiktok.com/i18n/manage/*'],
  runAt: 'document_idle',
  main(ctx) {
    document.documentElement.dataset.safepauseContent = 'ready';
    startOverlay(ctx);
  },
});
