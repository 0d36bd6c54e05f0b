/**
 * What pausing or resuming one object means for the objects around it (spec section 4.5): pausing a campaign
 * stops its ad groups and ads, pausing an ad group stops its ads; children keep their own operation_status and
 * show the parent's state in secondary_status (`*_CAMPAIGN_DISABLE`, `*_ADGROUP_DISABLE`). Pure: no API calls.
 */

export type CascadeLevel = 'campaign' | 'adgroup' | 'ad';
export type ParentLevel = 'campaign' | 'adgroup';

const PARENT_WORDS: Record<ParentLevel, string> = { campaign: 'campaign', adgroup: 'ad group' };

/** The parent whose pause stops this object, read from its secondary_status; null when none does. */
export function stoppedByParent(level: CascadeLevel, secondaryStatus: string | null): ParentLevel | null {
  if (secondaryStatus === null) return null;
  if (level === 'adgroup') return secondaryStatus === 'ADGROUP_STATUS_CAMPAIGN_DISABLE' ? 'campaign' : null;
  if (level === 'ad') {
    if (secondaryStatus === 'AD_STATUS_CAMPAIGN_DISABLE') return 'campaign';
    if (secondaryStatus === 'AD_STATUS_ADGROUP_DISABLE') return 'adgroup';
  }
  return null;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function quoted(name: string | null | undefined): string {
  return name ? ` “${name}”` : '';
}

/** Live children (not deleted) that deliver on their own switch, so a pause of the parent stops them. */
export interface ChildCounts {
  adgroups?: number | null;
  ads?: number | null;
}

/** What else stops when this object is paused, or null when nothing below it (ads) or when not pausing. */
export function cascadeText(level: CascadeLevel, action: 'DISABLE' | 'ENABLE', counts: ChildCounts): string | null {
  if (action !== 'DISABLE' || level === 'ad') return null;
  const ads = counts.ads;
  if (level === 'adgroup') {
    if (ads === null || ads === undefined) return 'Its ads stop with it (TikTok did not say how many).';
    return ads === 0 ? 'No ads of it are on.' : `${plural(ads, 'ad', 'ads')} of it stop with it.`;
  }
  const groups = counts.adgroups;
  if (groups === null || groups === undefined || ads === null || ads === undefined) {
    return 'Its ad groups and ads stop with it (TikTok did not say how many).';
  }
  if (groups === 0 && ads === 0) return 'None of its ad groups or ads are on.';
  return `${plural(groups, 'ad group', 'ad groups')} and ${plural(ads, 'ad', 'ads')} of it stop with it.`;
}

/**
 * For an object whose parent is paused: pausing it again sends nothing (a problem), resuming it is allowed
 * but it will not deliver until the parent is on (a warning). Null when the parent is not what stops it.
 */
export function parentEffect(
  level: CascadeLevel,
  action: 'DISABLE' | 'ENABLE',
  secondaryStatus: string | null,
  parentName: string | null,
): { problem: string | null; warning: string | null } | null {
  const parent = stoppedByParent(level, secondaryStatus);
  if (!parent) return null;
  const word = PARENT_WORDS[parent];
  if (action === 'DISABLE') {
    return {
      problem: `Already stopped by its ${word}${quoted(parentName)}: nothing to send. It stays off while that ${word} is paused.`,
      warning: null,
    };
  }
  return {
    problem: null,
    warning: `Its ${word}${quoted(parentName)} is paused: it will not deliver until that ${word} is on too.`,
  };
}

/** Counts the live children per campaign (or per ad group) from a list of child objects. */
export function countByParent(
  children: readonly { parentId: string | null; operationStatus: string }[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const child of children) {
    if (child.parentId === null || child.operationStatus !== 'ENABLE') continue;
    counts.set(child.parentId, (counts.get(child.parentId) ?? 0) + 1);
  }
  return counts;
}
