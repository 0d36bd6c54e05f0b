import type { Rng } from './prng';

const GEOS = ['US', 'UK', 'DE', 'FR', 'CA', 'AU', 'BR', 'MX', 'JP', 'ES', 'IT', 'NL', 'US+CA', 'EU5', 'LATAM'];
const THEMES = [
  'Spring Sale',
  'Black Friday',
  'Cyber Monday',
  'BFCM Early Access',
  'Holiday Gifts',
  'New Arrivals',
  'Evergreen',
  'Retargeting',
  'App Installs',
  'Brand Awareness',
  'Summer Drop',
  'Back to School',
  'Clearance',
  'Bundle Offer',
  'Free Shipping Week',
];
const AUDIENCES = [
  'Broad',
  'LAL 1%',
  'LAL 3-5%',
  'Interest – Fitness',
  'Interest – Beauty',
  'Retarget 30d',
  'Engagers 60d',
];
const STRUCTURES = ['CBO', 'ABO', 'Smart+', 'Manual Bid', 'Cost Cap', 'Spark Ads'];
const PLACEMENTS = ['TikTok', 'Pangle', 'Auto Placement', 'TikTok + Pangle'];
const HOOKS = [
  'UGC Unboxing',
  'Founder Story',
  'Before-After',
  'Green Screen',
  'Testimonial',
  'POV Hook',
  'Product Demo',
];

/** Names that break naive code: shared names, HTML-looking text, lookalike dashes, invisible and bidi text. */
export const HOSTILE_CAMPAIGN_NAMES: readonly string[] = [
  'US | Spring Sale | Broad – CBO',
  'US | Spring Sale | Broad – CBO',
  'US | Spring Sale | Broad – CBO',
  '<img src=x onerror=alert(1)>',
  '"><script>alert(document.cookie)</script>',
  'US | Spring Sale | Broad - CBO',
  'US | Spring Sale | Broad — CBO',
  'US | Spring Sale | Broad ‐ CBO',
  'US | Spring\u200b Sale | Broad – CBO',
  'US | Spring Sale\u200d | Broad – CBO\ufeff',
  'حملة الربيع | تخفيضات – واسع',
  '\u202eOBC – daorB | elaS gnirpS | SU',
  'עברית | מבצע חורף – CBO',
  '🔥 BFCM 🔥 | 50% OFF | Broad – CBO 🚀',
  'Café | Noël | Broad – CBO',
  'Cafe\u0301 | Noe\u0308l | Broad – CBO',
  `US | Evergreen | ${'Very Long Name '.repeat(18).trim()} – CBO`,
  '   leading and trailing spaces   ',
  'Campaign-7664548737817054485',
  '&lt;b&gt;escaped&lt;/b&gt; & "quotes" \'single\'',
];

export function campaignName(rng: Rng): string {
  return `${rng.pick(GEOS)} | ${rng.pick(THEMES)} | ${rng.pick(AUDIENCES)} – ${rng.pick(STRUCTURES)}`;
}

export function adgroupName(rng: Rng, index: number): string {
  return `AG ${index + 1} | ${rng.pick(AUDIENCES)} | ${rng.pick(PLACEMENTS)}`;
}

export function adName(rng: Rng, index: number): string {
  return `Video ${index + 1} – ${rng.pick(HOOKS)} ${rng.int(1, 40)}s.mp4`;
}

export function adText(rng: Rng): string {
  return rng.pick(['Shop now and save', 'Limited time only', 'Your new favourite', 'Free shipping today']);
}
