import { createApiClient } from '../api/client';
import { describeError } from '../api/errors';
import { readToken } from './token';

export interface ConnectionResult {
  ok: boolean;
  message: string;
}

/**
 * Calls user/info and advertiser/info with the given (or saved) token and reports, in words, the account
 * it reaches or TikTok's exact error code and message. The token itself never appears in the result.
 */
export async function testConnection(input: {
  origin: string;
  token?: string;
  advertiserIds: string[];
}): Promise<ConnectionResult> {
  const token = input.token ?? (await readToken());
  if (!token) return { ok: false, message: 'No access token: enter one above, then test again.' };
  const client = createApiClient({ baseUrl: input.origin, getToken: async () => token });
  try {
    const user = await client.userInfo();
    const who = user.data.displayName ? `Connected as ${user.data.displayName}.` : 'Connected.';
    if (input.advertiserIds.length === 0) {
      return { ok: true, message: `${who} Add at least one advertiser ID to pause from Ads Manager.` };
    }
    const info = await client.advertiserInfo(input.advertiserIds);
    const names = info.data.map((a) => `${a.name} (${a.advertiserId}, ${a.currency}, ${a.timezone})`);
    return { ok: true, message: `${who} Advertisers: ${names.join('; ')}.` };
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
}
