import { parseManagePage } from '../host/urls';

/** The parts of runtime.MessageSender we decide on. */
export interface SenderInfo {
  id?: string;
  url?: string;
  origin?: string;
  frameId?: number;
  tab?: { id?: number };
}

export type SenderKind =
  | { kind: 'content'; tabId: number; advertiserId: string; level: 'campaign' | 'adgroup' | 'ad' }
  | { kind: 'page' }
  | { kind: 'refused'; reason: string };

/**
 * Classifies who sent a message. Content scripts count only from the top frame of a tab whose URL is an
 * Ads Manager page the manifest allows; the advertiser they may name is the one in that URL.
 * Extension pages are recognised by their origin. Everything else is refused.
 */
export function classifySender(
  sender: SenderInfo,
  extensionId: string,
  extensionOrigin: string,
  allowed: (url: URL) => boolean,
): SenderKind {
  if (sender.id !== extensionId) return { kind: 'refused', reason: 'sender is another extension or a web page' };
  const url = safeUrl(sender.url);
  if (!url) return { kind: 'refused', reason: 'sender has no URL' };
  // `${protocol}//${host}`: URL.origin is "null" for non-web schemes in some runtimes.
  const urlOrigin = `${url.protocol}//${url.host}`;
  const origin = sender.origin ?? urlOrigin;
  if (urlOrigin === extensionOrigin && origin === extensionOrigin) return { kind: 'page' };
  if (!sender.tab || typeof sender.tab.id !== 'number')
    return { kind: 'refused', reason: 'content message outside a tab' };
  if (sender.frameId !== 0) return { kind: 'refused', reason: 'content message from a sub-frame' };
  if (!allowed(url) || origin !== urlOrigin)
    return { kind: 'refused', reason: 'content message from a page SafePause does not run on' };
  const page = parseManagePage(url.href);
  if (!page) return { kind: 'refused', reason: 'content message from a page that is not an Ads Manager list' };
  return { kind: 'content', tabId: sender.tab.id, advertiserId: page.advertiserId, level: page.level };
}

function safeUrl(value: string | undefined): URL | null {
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
