import { expect } from '@playwright/test';

/** `text` as a literal inside a RegExp (names and TikTok messages carry `|`, `(`, `.` and the like). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Fails when `text` holds the token in any form a leak could take: as is, its random tail alone, or base64. */
export function expectNoToken(token: string, where: string, text: string): void {
  for (const needle of [token, token.slice(-16), Buffer.from(token).toString('base64')]) {
    expect(text.includes(needle), `${where} holds the token`).toBe(false);
  }
}
