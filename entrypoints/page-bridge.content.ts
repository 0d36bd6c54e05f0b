import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  matches: ['https://ads.tiktok.com/i18n/manage/*'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    document.documentElement.dataset.safepauseBridge = 'ready';
  },
});
