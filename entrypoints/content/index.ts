import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  matches: ['https://ads.tiktok.com/i18n/manage/*'],
  runAt: 'document_idle',
  main() {
    document.documentElement.dataset.safepauseContent = 'ready';
  },
});
