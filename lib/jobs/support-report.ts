/**
 * A plain-text report about one job, ready to paste to TikTok support: what was asked, when, every
 * request with TikTok's request_id, code and message, the last status reads, and the deadline.
 * Built only from the job and its audit rows, which never hold the access token.
 */
import { LEVEL_META } from '../api/ids';
import type { AuditEntry, Job } from './types';

function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString();
}

/** Status reads shown at most. */
const LAST_READS = 5;

export function supportReport(job: Job, audit: readonly AuditEntry[]): string {
  const meta = LEVEL_META[job.level];
  const verb = job.action === 'DISABLE' ? 'pause (operation_status DISABLE)' : 'resume (operation_status ENABLE)';
  const rows = [...audit].sort((a, b) => a.at - b.at);
  const lines: string[] = [
    'SafePause support report',
    `Generated: ${new Date().toISOString()} (all times UTC)`,
    '',
    `Advertiser ID: ${job.advertiserId}`,
    `Level: ${meta.label} (${meta.statusUpdatePath})`,
    `${meta.label[0]?.toUpperCase()}${meta.label.slice(1)} ID: ${job.objectId}`,
    `Name: ${job.objectName}`,
    `Action: ${verb}`,
    `Requested by: ${job.actor.kind}${job.actor.id ? ` (${job.actor.id})` : ''}`,
    `Status before: ${job.baseline.operationStatus} (modify_time ${job.baseline.modifyTime ?? '-'})`,
    `Current state: ${job.state}`,
    `Created: ${iso(job.createdAt)}`,
    `Accepted by TikTok (code 0): ${iso(job.sentAt)}`,
    `Confirmed by a status read: ${iso(job.confirmedAt)}`,
    `Deadline: ${iso(job.deadline)}`,
    `Finished: ${iso(job.finishedAt)}`,
    `Send attempts: ${job.attempt}`,
  ];
  if (job.lastError) {
    const code = job.lastError.code !== undefined ? ` code ${job.lastError.code}` : '';
    const rid = job.lastError.requestId ? ` request_id ${job.lastError.requestId}` : '';
    lines.push(`Last error (${iso(job.lastError.at)}):${code}${rid}`, `  ${job.lastError.message}`);
  }
  const spend = job.spend;
  if (spend.atClick || spend.atConfirm || spend.last) {
    lines.push('', 'Reported lifetime spend (advertiser currency):');
    if (spend.atClick) lines.push(`  at click: ${spend.atClick.value} (${iso(spend.atClick.at)})`);
    if (spend.atConfirm) lines.push(`  at confirmation: ${spend.atConfirm.value} (${iso(spend.atConfirm.at)})`);
    if (spend.atWindow) lines.push(`  after the report delay: ${spend.atWindow.value} (${iso(spend.atWindow.at)})`);
    if (spend.last) lines.push(`  last read: ${spend.last.value} (${iso(spend.last.at)})`);
  }

  const requests = rows.filter((r) => r.requestId !== undefined || r.code !== undefined);
  lines.push('', `Requests (${job.requestIds.length} request_id(s)):`);
  if (requests.length === 0) lines.push('  none answered');
  for (const r of requests) {
    const code = r.code !== undefined ? `code ${r.code}` : 'code 0';
    lines.push(`  ${iso(r.at)} ${r.event} request_id ${r.requestId ?? '-'} ${code}: ${r.detail}`);
  }
  const listed = new Set(requests.map((r) => r.requestId));
  const others = job.requestIds.filter((id) => !listed.has(id));
  if (others.length > 0) lines.push(`  other request_ids: ${others.join(', ')}`);

  const reads = rows.filter((r) => r.event === 'status-read').slice(-LAST_READS);
  lines.push('', 'Last status reads:');
  if (reads.length === 0) lines.push('  none');
  for (const r of reads) lines.push(`  ${iso(r.at)} request_id ${r.requestId ?? '-'}: ${r.detail}`);
  if (job.lastRead) {
    lines.push(
      `  latest: operation_status ${job.lastRead.operationStatus ?? '(not returned)'}, modify_time ${job.lastRead.modifyTime ?? '-'} at ${iso(job.lastRead.at)}`,
    );
  }

  lines.push('', 'Timeline:');
  for (const r of rows)
    lines.push(`  ${iso(r.at)} ${r.from ?? '-'} -> ${r.to} (${r.event}, attempt ${r.attempt}): ${r.detail}`);
  return `${lines.join('\n')}\n`;
}
