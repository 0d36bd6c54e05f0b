import { defineContentScript } from 'wxt/utils/define-content-script';
import { installBridge } from '../lib/host/bridge';

// MAIN world: the only place the page's framework properties (and so row IDs) can be read.
// It answers probes from the isolated content script; it never reads page globals or the token.
export default defineContentScript({
  matches: ['https://ads.tiktok.com/i18n/manage/*'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    installBridge(document);
    document.documentElement.dataset.safepauseBridge = 'ready';
  },
});
