// @ts-check
// Dialogs and messages built like the platform's `vi-` components: the announcement that keeps
// coming back, the Custom columns picker, and toast messages.

import { h, ksButton, ksIconButton } from './ks-components.js';

/**
 * @param {{title: string, body: HTMLElement[], footer: HTMLElement[], onClose: () => void, className?: string}} options
 */
function openDialog(options) {
  const mask = h('div', '', { class: 'vi-dialog-mask' });
  const dialog = h('div', '', {
    class: `vi-dialog ${options.className ?? ''}`.trim(),
    role: 'dialog',
    'aria-modal': 'true',
  });
  const titleId = `vi-dialog-title-${Math.random().toString(36).slice(2, 8)}`;
  dialog.setAttribute('aria-labelledby', titleId);
  const header = h('div', '', { class: 'vi-dialog__header' });
  const close = ksIconButton('close', 'Close', true);
  close.addEventListener('click', options.onClose);
  header.append(h('h2', options.title, { class: 'vi-dialog__title', id: titleId }), close);
  const body = h('div', '', { class: 'vi-dialog__body' });
  body.append(...options.body);
  const footer = h('div', '', { class: 'vi-dialog__footer' });
  footer.append(...options.footer);
  dialog.append(header, body, footer);
  mask.append(dialog);
  mask.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') options.onClose();
  });
  document.body.append(mask);
  return mask;
}

const ANNOUNCEMENT_RETURN_MS = 45_000;

/**
 * The "New features" announcement: shows a little after the first rows, and again some time after
 * each dismissal.
 * @param {number} delayMs
 */
export function scheduleAnnouncement(delayMs) {
  setTimeout(showAnnouncement, delayMs);
}

function showAnnouncement() {
  if (document.querySelector('.vi-dialog--announcement')) return;
  if (document.querySelector('meta[name="sp-announcements"]')?.getAttribute('content') === 'off') return;
  const art = h('div', '', { class: 'announcement-art', 'aria-hidden': 'true' });
  art.append(h('span', '✦'), h('span', 'NEW'));
  const list = h('ul', '', { class: 'announcement-list' });
  for (const item of [
    'Bulk edit budgets for up to 100 ad groups at once.',
    'Compare any two date ranges side by side in the table.',
    'Save your column layouts as presets for every view.',
  ]) {
    list.append(h('li', item));
  }
  const learn = h('a', 'Learn more', { class: 'KsLink', href: '#whats-new' });
  learn.addEventListener('click', (event) => event.preventDefault());
  const gotIt = ksButton('Got it', { variant: 'primary' });
  const close = () => {
    mask.remove();
    setTimeout(showAnnouncement, ANNOUNCEMENT_RETURN_MS);
  };
  gotIt.addEventListener('click', close);
  const mask = openDialog({
    title: 'New features',
    className: 'vi-dialog--announcement',
    body: [art, h('p', 'Here is what changed in Ads Manager this month:'), list],
    footer: [learn, gotIt],
    onClose: close,
  });
}

/**
 * @param {ReadonlyArray<{key: string, label: string, fixed: boolean}>} choices
 * @param {Set<string>} visible
 * @param {(visible: Set<string>) => void} onApply
 */
export function openCustomColumns(choices, visible, onApply) {
  const list = h('div', '', { class: 'column-choices' });
  /** @type {Map<string, HTMLInputElement>} */
  const boxes = new Map();
  for (const choice of choices) {
    const label = h('label', '', { class: 'column-choice' });
    const box = /** @type {HTMLInputElement} */ (h('input', '', { type: 'checkbox' }));
    box.checked = choice.fixed || visible.has(choice.key);
    box.disabled = choice.fixed;
    boxes.set(choice.key, box);
    label.append(box, h('span', choice.label));
    list.append(label);
  }
  const cancel = ksButton('Cancel');
  const apply = ksButton('Apply', { variant: 'primary' });
  const close = () => mask.remove();
  cancel.addEventListener('click', close);
  apply.addEventListener('click', () => {
    const next = new Set([...boxes].filter(([, box]) => box.checked).map(([key]) => key));
    close();
    onApply(next);
  });
  const mask = openDialog({
    title: 'Custom columns',
    className: 'vi-dialog--columns',
    body: [h('p', 'Choose the metrics to show in the table.', { class: 'muted' }), list],
    footer: [cancel, apply],
    onClose: close,
  });
  boxes.get(choices[1]?.key ?? '')?.focus();
}

/** @param {string} message @param {'info' | 'success' | 'error'} [tone] */
export function toast(message, tone = 'info') {
  let stack = document.querySelector('.vi-message-stack');
  if (!stack) {
    stack = h('div', '', { class: 'vi-message-stack', role: 'status', 'aria-live': 'polite' });
    document.body.append(stack);
  }
  const item = h('div', message, { class: `vi-message vi-message--${tone}` });
  stack.append(item);
  setTimeout(() => item.remove(), tone === 'error' ? 6000 : 3000);
}
