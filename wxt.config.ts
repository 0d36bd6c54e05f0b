import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { manifestFor } from './lib/manifest-policy';

// Two flavours of one extension:
// - `production` (the store build) runs only on TikTok Ads Manager and talks only to TikTok's API hosts;
// - `sandbox` (npm start, tests, benchmarks) also runs on the local sandbox served from 127.0.0.1 / localhost.
// The whole difference lives in lib/manifest-policy.ts so a test can check both manifests against it.
export default defineConfig({
  // SAFEPAUSE_OUTPUT_DIR lets a second checkout-local build (another test run, a benchmark) not overwrite this one.
  outDir: process.env.SAFEPAUSE_OUTPUT_DIR ?? '.output',
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  vite: () => ({
    plugins: [preact()],
    build: { target: 'es2022' },
  }),
  manifest: ({ mode, browser }) => {
    const { contentMatches: _pages, ...manifest } = manifestFor(mode === 'sandbox' ? 'sandbox' : 'store', browser);
    return manifest;
  },
  hooks: {
    'build:manifestGenerated': (wxt, manifest) => {
      const flavour = wxt.config.mode === 'sandbox' ? 'sandbox' : 'store';
      const policy = manifestFor(flavour, wxt.config.browser);
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...policy.contentMatches];
      }
      manifest.host_permissions = [...policy.host_permissions];
      manifest.web_accessible_resources = policy.web_accessible_resources;
    },
  },
});
