import { z } from '../zod';

/** Where the Marketing API lives for each environment a user can pick. */
export const API_ORIGINS = {
  production: 'https://business-api.tiktok.com',
  'tiktok-sandbox': 'https://sandbox-ads.tiktok.com',
} as const;

export type Environment = 'production' | 'tiktok-sandbox' | 'custom';

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  production: 'Production (business-api.tiktok.com)',
  'tiktok-sandbox': 'TikTok sandbox (sandbox-ads.tiktok.com)',
  custom: 'Custom URL (local sandbox)',
};

const advertiserId = z.string().regex(/^\d{6,20}$/, 'An advertiser ID is a number of 6 to 20 digits.');

/** Only loopback hosts are allowed as a custom API base: the manifest grants nothing else. */
export const customBaseUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
    } catch {
      return false;
    }
  }, 'A custom API base URL must look like http://127.0.0.1:8787 (a sandbox on this computer).')
  .transform((value) => new URL(value).origin);

export const safetySchema = z.object({
  /** Minutes to keep reading status back before a pause is reported as stuck. */
  verifyDeadlineMinutes: z.number().int().min(1).max(120),
  /** Minutes TikTok's reports lag behind delivery; "spend stopped" is declared only after this window. */
  reportLatencyMinutes: z.number().int().min(0).max(240),
  /** Days to keep the audit trail. */
  auditRetentionDays: z.number().int().min(7).max(3650),
});

export const settingsSchema = z.object({
  version: z.literal(1),
  environment: z.enum(['production', 'tiktok-sandbox', 'custom']),
  customBaseUrl: z.string(),
  advertiserIds: z.array(advertiserId).max(100),
  tokenPersistence: z.enum(['session', 'device']),
  safety: safetySchema,
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  environment: 'production',
  customBaseUrl: '',
  advertiserIds: [],
  tokenPersistence: 'session',
  safety: { verifyDeadlineMinutes: 10, reportLatencyMinutes: 30, auditRetentionDays: 400 },
};

/** The API origin these settings point at, or an error message a person can act on. */
export function apiOrigin(settings: Settings): { ok: true; origin: string } | { ok: false; message: string } {
  if (settings.environment !== 'custom') return { ok: true, origin: API_ORIGINS[settings.environment] };
  const parsed = customBaseUrl.safeParse(settings.customBaseUrl);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid API base URL.' };
  return { ok: true, origin: parsed.data };
}

/** Parses an advertiser ID list typed by a person: commas, spaces or new lines between IDs. */
export function parseAdvertiserIds(text: string): { ok: true; ids: string[] } | { ok: false; message: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = parts.filter((part) => !advertiserId.safeParse(part).success);
  if (bad.length > 0) {
    return { ok: false, message: `Not an advertiser ID: ${bad.slice(0, 3).join(', ')}. Use digits only.` };
  }
  return { ok: true, ids: [...new Set(parts)] };
}
