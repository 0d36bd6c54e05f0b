import type { World } from './world/world';

/** The developer app every sandbox token belongs to (the per-app rate limit is keyed on it). */
export const SANDBOX_APP_ID = '7301234567890123457';
/** Reaches every sandbox advertiser. */
export const SANDBOX_TOKEN = 'sandbox-demo-token-5f1c2a9e7b3d4c60';
/** Reaches only the second advertiser. */
export const SANDBOX_LIMITED_TOKEN = 'sandbox-limited-token-8e2d4b6a1c9f3e07';

export interface TokenGrant {
  appId: string;
  advertiserIds: string[];
  userId: string;
  displayName: string;
  email: string;
}

export function grantFor(token: string, world: World): TokenGrant | undefined {
  const all = world.data.advertisers.map((a) => a.id);
  if (token === SANDBOX_TOKEN) {
    return {
      appId: SANDBOX_APP_ID,
      advertiserIds: all,
      userId: '7109876543210987654',
      displayName: 'Sandbox Media Buyer',
      email: 'm***@example.com',
    };
  }
  if (token === SANDBOX_LIMITED_TOKEN) {
    return {
      appId: SANDBOX_APP_ID,
      advertiserIds: all.slice(1, 2),
      userId: '7109876543210987999',
      displayName: 'Sandbox Agency Analyst',
      email: 'a***@example.com',
    };
  }
  return undefined;
}
