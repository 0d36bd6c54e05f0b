import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { sendText } from './http-util';
import type { ServerContext } from './server-context';
import { SANDBOX_TOKEN } from './tokens';

/** The Ads Manager page's files, its routes, and a small index page. */

export const PAGE_FILES_PREFIX = '/__sandbox/page/';
export const PAGE_ROUTE = /^\/i18n\/manage\/(campaign|adgroup|ad|creative)\/?$/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const PLACEHOLDER = `<!doctype html><html><head><meta charset="utf-8"><title>Ads Manager (sandbox)</title></head>
<body><p>The sandbox Ads Manager page is not built yet.</p></body></html>`;

export async function servePageShell(ctx: ServerContext, res: ServerResponse): Promise<void> {
  try {
    let html = await readFile(resolve(ctx.pageDir, 'index.html'), 'utf8');
    // A switch for tests and demos that need the table uncovered; the real page shows announcements.
    if (!ctx.state.config.announcements) {
      html = html.replace('<head>', '<head><meta name="sp-announcements" content="off">');
    }
    res.writeHead(200, { 'Content-Type': TYPES['.html'] ?? 'text/html', 'Cache-Control': 'no-store' });
    res.end(html);
  } catch {
    sendText(res, 200, PLACEHOLDER, 'text/html; charset=utf-8');
  }
}

export async function servePageFile(ctx: ServerContext, res: ServerResponse, pathname: string): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(PAGE_FILES_PREFIX.length));
  } catch {
    sendText(res, 400, 'bad path');
    return;
  }
  const root = resolve(ctx.pageDir);
  const file = resolve(root, relative);
  if (relative.includes('\0') || !file.startsWith(root + sep)) {
    sendText(res, 404, 'not found');
    return;
  }
  try {
    const content = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(content);
  } catch {
    sendText(res, 404, 'not found');
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function serveIndex(ctx: ServerContext, res: ServerResponse): void {
  const advertisers = ctx.state.world.data.advertisers;
  const first = advertisers[0];
  const links = first
    ? ['campaign', 'adgroup', 'ad']
        .map(
          (l) =>
            `<li><a href="/i18n/manage/${l}?aadvid=${first.id}">${l === 'adgroup' ? 'Ad groups' : `${l[0]?.toUpperCase()}${l.slice(1)}s`}</a></li>`,
        )
        .join('')
    : '';
  const list = advertisers
    .map(
      (a) =>
        `<li>${escapeHtml(a.name)}: <code>${a.id}</code> (${escapeHtml(a.currency)}, ${escapeHtml(a.timezone)})</li>`,
    )
    .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>SafePause sandbox</title></head><body>
<h1>SafePause sandbox</h1>
<p>Ads Manager for ${escapeHtml(first?.name ?? '')}:</p><ul>${links}</ul>
<p>Advertisers:</p><ul>${list}</ul>
<p>API base: <code>/open_api/v1.3/</code>. Demo access token: <code>${escapeHtml(SANDBOX_TOKEN)}</code></p>
<p>Control API: <code>/__sandbox/</code> (info, state, spend, clock, config, faults, requests, reset).</p>
</body></html>`;
  sendText(res, 200, html, 'text/html; charset=utf-8');
}
