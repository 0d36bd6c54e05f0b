import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { LEVEL_WORDS, Overlay, type RowControl } from '../../components/overlay/Overlay';
import overlayCss from '../../components/overlay/overlay.css?inline';
import { describeUnidentified, readRow, type ScannedRow, scanRows } from '../host/scan';
import { findTable, visibleBodyBand } from '../host/table';
import { type ManagePage, parseManagePage } from '../host/urls';
import { describeState } from '../jobs/labels';
import type { FlagsQueryResult, RowFlag } from '../messages/schema';
import { changedSinceJob, isInFlight, offeredAction, type RowAction } from './row-action';
import { clearSelection, clickRow, deselect, emptySelection, mergeSeen, selectAll, splitByAction } from './selection';
import type { IdentifyResult, JobsQueryResult, JobView, OverlayPush, PromptOpenResult, RowVerdict } from './types';

/** Frames without movement after which the per-frame alignment loop stops until something changes again. */
const STILL_FRAMES_BEFORE_STOP = 12;
const IDENTIFY_BATCH = 200;
/** For this long after a list opens, the rows it shows are identified with a fresh read of TikTok's status. */
const FRESH_WINDOW_MS = 10_000;
/** The most objects one confirm prompt takes (the prompt:open message's limit). */
const PROMPT_MAX_TARGETS = 1000;
/** `returnFocusTo` of a prompt opened from the selection bar (followed by its action). */
const FROM_SELECTION = 'selection:';

/**
 * The overlay: one shadow-root layer above Ads Manager's table, with a control per identified visible row,
 * realigned every animation frame while anything moves and keyed by the corroborated ID (recycled row
 * elements never carry a control across). The confirm prompt is an extension frame the page cannot script.
 */
export function startOverlay(ctx: ContentScriptContext): void {
  const host = document.createElement('safepause-overlay');
  host.style.cssText = 'all: initial; position: fixed; inset: 0; z-index: 2147483646; pointer-events: none;';
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = overlayCss;
  const mount = document.createElement('div');
  const promptLayer = document.createElement('div');
  shadow.append(style, mount, promptLayer);
  document.documentElement.append(host);

  let page: ManagePage | null = null;
  const verdicts = new Map<string, RowVerdict>();
  /** The API status each identified object had when its row was identified (rows out of view included). */
  const statusById = new Map<string, string>();
  /** When the worker read each of those statuses (to tell a change made elsewhere after SafePause's job). */
  const readAtById = new Map<string, number>();
  const pendingKeys = new Set<string>();
  const jobs = new Map<string, JobView>();
  /** Rule flags by object ID (text from the worker's last checks). */
  const flags = new Map<string, RowFlag[]>();
  /** The element each control was drawn for: read again at click time. */
  const linkFor = new Map<string, HTMLElement>();
  let notice: { tone: 'info' | 'error'; text: string } | null = null;
  let persistentNotice: { tone: 'info' | 'error'; text: string } | null = null;
  let connectionError: string | null = null;
  let stillFrames = 0;
  let frame = 0;
  let lastSignature = '';
  let openPrompt: { promptId: string; returnFocusTo: string; bulkIds?: string[] } | null = null;
  /** Bulk selection, by ID; the seen order and names cover rows scrolled out of view. */
  let selection = emptySelection();
  const seenNames = new Map<string, string>();
  let visibleControls: RowControl[] = [];
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  /** When the current list was opened: its first rows ask for TikTok's status read afresh, not a cached one. */
  let openedAt = Date.now();

  function rowKey(row: ScannedRow): string {
    const ids = row.candidates.map((c) => c.id).sort();
    return `${ids.join(',')}|${row.visibleName}`;
  }

  function route(url: string) {
    const next = parseManagePage(url);
    const changed = next?.level !== page?.level || next?.advertiserId !== page?.advertiserId;
    page = next;
    if (changed) {
      openedAt = Date.now();
      verdicts.clear();
      statusById.clear();
      readAtById.clear();
      pendingKeys.clear();
      jobs.clear();
      flags.clear();
      linkFor.clear();
      connectionError = null;
      notice = null;
      selection = emptySelection();
      seenNames.clear();
    }
    wake();
  }

  async function identify(rows: ScannedRow[]) {
    const current = page;
    if (!current) return;
    const fresh = rows.filter((row) => {
      const key = rowKey(row);
      return !verdicts.has(key) && !pendingKeys.has(key);
    });
    for (let i = 0; i < fresh.length; i += IDENTIFY_BATCH) {
      const batch = fresh.slice(i, i + IDENTIFY_BATCH);
      const payload = batch.map((row) => ({
        key: rowKey(row).slice(0, 64) === rowKey(row) ? rowKey(row) : hashKey(rowKey(row)),
        name: row.visibleName.slice(0, 1024),
        candidates: row.candidates.slice(0, 32),
      }));
      const keyMap = new Map(batch.map((row, index) => [payload[index]?.key ?? '', rowKey(row)]));
      for (const row of batch) pendingKeys.add(rowKey(row));
      let result: IdentifyResult;
      try {
        result = (await browser.runtime.sendMessage({
          type: 'rows:identify',
          advertiserId: current.advertiserId,
          level: current.level,
          fresh: Date.now() - openedAt < FRESH_WINDOW_MS,
          rows: payload,
        })) as IdentifyResult;
      } catch (error) {
        result = { ok: false, error: `SafePause's background worker did not answer (${String(error)}).` };
      }
      for (const row of batch) pendingKeys.delete(rowKey(row));
      if (page !== current) return;
      if (!result.ok) {
        connectionError = result.error;
      } else {
        connectionError = null;
        for (const verdict of result.results) {
          const key = keyMap.get(verdict.key);
          if (key) verdicts.set(key, { ...verdict, key });
          if (verdict.ok) {
            statusById.set(verdict.id, verdict.operationStatus);
            if (verdict.readAt !== undefined) readAtById.set(verdict.id, verdict.readAt);
          }
        }
        const ids = result.results.flatMap((v) => (v.ok ? [v.id] : []));
        void refreshJobs(ids);
        void refreshFlags(ids);
      }
      wake();
    }
  }

  async function refreshJobs(ids: string[]) {
    const current = page;
    if (!current || ids.length === 0) return;
    try {
      const result = (await browser.runtime.sendMessage({
        type: 'jobs:query',
        advertiserId: current.advertiserId,
        level: current.level,
        ids: [...new Set(ids)].slice(0, 2000),
      })) as JobsQueryResult;
      if (page !== current || !result.ok) return;
      for (const job of result.jobs) jobs.set(job.objectId, job);
      wake();
    } catch {
      // The worker restarts on the next message; the port reconnect asks again.
    }
  }

  async function refreshFlags(ids: string[]) {
    const current = page;
    if (!current || ids.length === 0) return;
    try {
      const result = (await browser.runtime.sendMessage({
        type: 'flags:query',
        advertiserId: current.advertiserId,
        level: current.level,
        ids: [...new Set(ids)].slice(0, 2000),
      })) as FlagsQueryResult;
      if (page !== current || !result.ok) return;
      for (const id of ids) flags.delete(id);
      for (const row of result.flags) flags.set(row.objectId, row.flags);
      wake();
    } catch {
      // Asked again when the rules next run (flags:changed) or the rows are identified again.
    }
  }

  function controlsFor(rows: ScannedRow[], pageOverTable: boolean): RowControl[] {
    const controls: RowControl[] = [];
    const seen = new Set<string>();
    linkFor.clear();
    for (const row of rows) {
      const verdict = verdicts.get(rowKey(row));
      if (!verdict?.ok || seen.has(verdict.id)) continue;
      seen.add(verdict.id);
      const cell = row.link.parentElement ?? row.link;
      const rect = cell.getBoundingClientRect();
      // Something of the page's own (an announcement, a dialog, a drawer) covers the row where the control would sit:
      // draw nothing there, so SafePause never hides or blocks the page's own UI.
      if (pageOverTable && isCovered(cell, rect.left + rect.width - 20, rect.top + rect.height / 2)) continue;
      const job = jobs.get(verdict.id);
      linkFor.set(verdict.id, row.link);
      controls.push({
        id: verdict.id,
        name: verdict.name,
        rect: { top: rect.top, left: rect.left, width: rect.width, height: rect.height },
        action: offeredAction(verdict.operationStatus, job, readAtById.get(verdict.id)),
        chip: job ? chipFor(job, verdict.operationStatus, readAtById.get(verdict.id)) : undefined,
        busy: job ? isInFlight(job) : false,
        flags: flags.get(verdict.id),
      });
    }
    return controls;
  }

  /** The row's chip: its latest job, or “Changed elsewhere” once a later read shows someone undid that change. */
  function chipFor(job: JobView, apiStatus: string, readAt: number | undefined) {
    if (changedSinceJob(apiStatus, job, readAt)) return describeState('superseded', job.action);
    return { ...describeState(job.state, job.action), detail: job.error ?? undefined };
  }

  function draw() {
    frame = 0;
    if (!page || !ctx.isValid) {
      render(null, mount);
      return;
    }
    const rows = scanRows(document, page);
    void identify(rows);
    const table = findTable(document);
    const clip = table ? visibleBodyBand(table) : null;
    // One hit test per frame: only when something of the page's own lies over the table's body is each control's
    // spot checked (announcements and dialogs cover the middle of the page).
    const controls = controlsFor(rows, table !== null && clip !== null && tableCovered(table, clip));
    noteSeen(controls, clip);
    const settled = rows.every((row) => verdicts.has(rowKey(row)));
    if (connectionError) {
      notice = { tone: 'error', text: connectionError };
    } else if (rows.length > 0 && settled && controls.length === 0) {
      const reasons = rows.flatMap((row) => {
        const v = verdicts.get(rowKey(row));
        return v && !v.ok ? [v.reason as never] : [];
      });
      notice = { tone: 'error', text: describeUnidentified(document, page, rows, reasons) };
    } else if (rows.length === 0 && table === null && document.readyState === 'complete' && performance.now() > 8000) {
      notice = { tone: 'error', text: describeUnidentified(document, page, rows) };
    } else {
      notice = null;
    }
    render(
      <Overlay
        level={page.level}
        controls={controls}
        notice={persistentNotice ?? notice}
        clip={clip}
        onAction={(control, event) => void act(control, event)}
        onDismissNotice={persistentNotice ? dismissNotice : undefined}
        selection={{
          selected: new Set(selection.selected.keys()),
          counts: selectionCounts(),
          onToggle: toggleRow,
          onBulk: (action, event) => void actOnSelected(action, event),
          onSelectAllVisible: selectAllVisible,
          onClear: clearAll,
        }}
      />,
      mount,
    );
    const signature = controls.map((c) => `${c.id}:${Math.round(c.rect.top)}:${Math.round(c.rect.left)}`).join(';');
    if (signature === lastSignature) stillFrames += 1;
    else stillFrames = 0;
    lastSignature = signature;
    if (stillFrames < STILL_FRAMES_BEFORE_STOP) frame = requestAnimationFrame(draw);
  }

  /** Records the rows on screen now, top to bottom, for shift-click ranges across scrolls. */
  function noteSeen(controls: RowControl[], clip: { top: number; bottom: number } | null) {
    visibleControls = controls
      .filter((c) => {
        const centre = c.rect.top + c.rect.height / 2;
        return !clip || (centre >= clip.top && centre <= clip.bottom);
      })
      .sort((a, b) => a.rect.top - b.rect.top);
    for (const c of visibleControls) seenNames.set(c.id, c.name);
    const order = mergeSeen(
      selection.order,
      visibleControls.map((c) => c.id),
    );
    if (order !== selection.order) selection = { ...selection, order };
  }

  function toggleRow(control: RowControl, event: MouseEvent) {
    // Only a person's click changes the selection; a synthetic one is undone.
    if (!event.isTrusted) {
      event.preventDefault();
      return;
    }
    selection = clickRow(selection, control.id, event.shiftKey, (id) => seenNames.get(id));
    wake();
  }

  function selectAllVisible(event: MouseEvent) {
    if (!event.isTrusted) return;
    selection = selectAll(selection, visibleControls);
    wake();
  }

  function clearAll(event: MouseEvent) {
    if (!event.isTrusted) return;
    selection = clearSelection(selection);
    wake();
  }

  /** The action a selected object's row offers, from its last identified status and its latest job. */
  function selectedActionOf(id: string): RowAction {
    return offeredAction(statusById.get(id) ?? 'UNKNOWN', jobs.get(id), readAtById.get(id));
  }

  function selectionCounts(): { DISABLE: number; ENABLE: number } {
    const split = splitByAction(selection, selectedActionOf);
    return { DISABLE: split.DISABLE.length, ENABLE: split.ENABLE.length };
  }

  /**
   * Pauses or resumes the selected rows that offer `action`, through one confirm prompt. Those still on screen are
   * read again: one whose row now shows another object drops out with a notice. Rows scrolled away keep the
   * identity they had when selected; the worker reads every ID again from the API and refuses names that differ.
   */
  async function actOnSelected(action: RowAction, event: MouseEvent) {
    if (!event.isTrusted || !page) return;
    const word = LEVEL_WORDS[page.level];
    const dropped: string[] = [];
    for (const { id, name } of splitByAction(selection, selectedActionOf)[action]) {
      const link = linkFor.get(id);
      if (!link?.isConnected) continue;
      const reread = readRow(link, page);
      const verdict = reread ? verdicts.get(rowKey(reread)) : undefined;
      if (!verdict?.ok || verdict.id !== id || verdict.name !== name) dropped.push(id);
    }
    const droppedNames = dropped.map((id) => `“${selection.selected.get(id) ?? id}”`);
    selection = deselect(selection, dropped);
    const targets = splitByAction(selection, selectedActionOf)[action];
    const droppedText =
      dropped.length > 0
        ? `${dropped.length} selected ${dropped.length === 1 ? word : `${word}s`} changed on screen while you clicked (the table scrolled or refreshed) and ${dropped.length === 1 ? 'was' : 'were'} left out: ${droppedNames.join(', ')}. Check and select again.`
        : null;
    if (targets.length === 0) {
      persistentNotice = { tone: 'error', text: `${droppedText ?? 'Nothing is selected.'} Nothing was sent.` };
      wake();
      return;
    }
    if (targets.length > PROMPT_MAX_TARGETS) {
      persistentNotice = {
        tone: 'error',
        text: `${targets.length} selected: one confirmation takes at most ${PROMPT_MAX_TARGETS}. Nothing was sent; clear some and try again.`,
      };
      wake();
      return;
    }
    persistentNotice = droppedText ? { tone: 'info', text: droppedText } : null;
    const result = (await browser.runtime
      .sendMessage({
        type: 'prompt:open',
        advertiserId: page.advertiserId,
        level: page.level,
        action,
        targets,
      })
      .catch((error: unknown) => ({ ok: false, error: String(error) }))) as PromptOpenResult;
    if (!result.ok) {
      persistentNotice = { tone: 'error', text: `Nothing was sent: ${result.error}` };
      wake();
      return;
    }
    showPrompt(result.promptId, `${FROM_SELECTION}${action}`);
    if (openPrompt) openPrompt.bulkIds = targets.map((t) => t.id);
    wake();
  }

  function dismissNotice() {
    persistentNotice = null;
    wake();
  }

  function wake() {
    stillFrames = 0;
    if (frame === 0) frame = requestAnimationFrame(draw);
  }

  async function act(control: RowControl, event: MouseEvent | KeyboardEvent) {
    // Only a person's click or key press counts; a page script's synthetic event is ignored.
    if (!event.isTrusted || !page) return;
    const link = linkFor.get(control.id);
    const word = LEVEL_WORDS[page.level];
    const reread = link?.isConnected ? readRow(link, page) : null;
    const verdict = reread ? verdicts.get(rowKey(reread)) : undefined;
    if (!reread || !verdict?.ok || verdict.id !== control.id || verdict.name !== control.name) {
      persistentNotice = {
        tone: 'error',
        text: `That row changed while you clicked (the table scrolled or refreshed), so nothing was sent. Check the ${word} and click again.`,
      };
      wake();
      return;
    }
    const result = (await browser.runtime
      .sendMessage({
        type: 'prompt:open',
        advertiserId: page.advertiserId,
        level: page.level,
        action: control.action,
        targets: [{ id: control.id, name: control.name }],
      })
      .catch((error: unknown) => ({ ok: false, error: String(error) }))) as PromptOpenResult;
    if (!result.ok) {
      persistentNotice = { tone: 'error', text: `Nothing was sent: ${result.error}` };
      wake();
      return;
    }
    showPrompt(result.promptId, control.id);
  }

  function showPrompt(promptId: string, returnFocusTo: string) {
    closePrompt();
    openPrompt = { promptId, returnFocusTo };
    const backdrop = document.createElement('div');
    backdrop.className = 'sp-prompt-backdrop';
    const frameEl = document.createElement('iframe');
    frameEl.className = 'sp-prompt-frame';
    frameEl.title = 'SafePause confirmation';
    frameEl.src = `${browser.runtime.getURL('/confirm.html')}#${promptId}`;
    frameEl.addEventListener('load', () => frameEl.focus());
    // A person's click beside the prompt closes it: its own Cancel cannot once a confirm failed (the worker dropped
    // the prompt before trying), and closing only ever sends nothing.
    backdrop.addEventListener('click', (event) => {
      if (event.isTrusted && event.target === backdrop) closePrompt();
    });
    backdrop.append(frameEl);
    promptLayer.append(backdrop);
  }

  function closePrompt() {
    promptLayer.replaceChildren();
    const focusId = openPrompt?.returnFocusTo;
    openPrompt = null;
    if (focusId?.startsWith(FROM_SELECTION)) {
      // Back to the bar's button for that action; once it is gone (everything was sent), to the bar's other controls.
      const action = focusId.slice(FROM_SELECTION.length);
      const bar = mount.querySelector('.sp-selection-bar');
      const button =
        bar?.querySelector<HTMLButtonElement>(`.sp-bulk-action[data-action="${action}"]`) ??
        bar?.querySelector<HTMLButtonElement>('button');
      button?.focus();
    } else if (focusId) {
      mount.querySelector<HTMLButtonElement>(`.sp-control[data-object-id="${focusId}"] .sp-action`)?.focus();
    }
  }

  function connectPort() {
    if (!ctx.isValid) return;
    try {
      port = browser.runtime.connect({ name: 'overlay' });
    } catch {
      return;
    }
    port.onMessage.addListener((raw: unknown) => {
      const message = raw as OverlayPush;
      const pushed = raw as { type?: string; advertiserId?: string; level?: string } | null;
      if (
        pushed?.type === 'flags:changed' &&
        pushed.advertiserId === page?.advertiserId &&
        pushed.level === page?.level
      )
        void refreshFlags([...verdicts.values()].flatMap((v) => (v.ok ? [v.id] : [])));
      if (message?.type === 'jobs:changed')
        void refreshJobs(message.objectIds.filter((id) => jobs.has(id) || linkFor.has(id)));
      if (message?.type === 'prompt:closed' && openPrompt?.promptId === message.promptId) {
        const bulkIds = openPrompt.bulkIds;
        if (bulkIds && message.outcome === 'confirmed') {
          // Only what this prompt covered leaves the selection: the rows of the other action stay selected for it.
          selection = deselect(selection, bulkIds);
          void refreshJobs(bulkIds);
        }
        closePrompt();
        void refreshJobs([...linkFor.keys()]);
      }
    });
    port.onDisconnect.addListener(() => {
      port = null;
      // The worker stopped (idle or killed): reconnect, which also wakes it to resume its jobs.
      ctx.setTimeout(() => {
        connectPort();
        void refreshJobs([...linkFor.keys()]);
      }, 1000);
    });
  }

  const observer = new MutationObserver(() => wake());
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['style', 'class'],
  });
  ctx.onInvalidated(() => {
    observer.disconnect();
    render(null, mount);
    host.remove();
    port?.disconnect();
  });
  for (const type of ['wheel', 'keydown', 'resize', 'pointerup'] as const) {
    ctx.addEventListener(window, type, () => wake(), { passive: true, capture: true });
  }
  // Ads Manager is a single-page app: follow route changes (WXT's watcher, plus a cheap check of the URL as a
  // fallback for navigations it misses) and rebuild the row model for the new level or advertiser.
  let lastUrl = location.href;
  const followRoute = (url: string) => {
    if (url === lastUrl) return;
    lastUrl = url;
    route(url);
  };
  ctx.addEventListener(window, 'wxt:locationchange', (event) => followRoute(event.newUrl.href));
  ctx.addEventListener(window, 'popstate', () => followRoute(location.href));
  ctx.setInterval(() => followRoute(location.href), 400);
  // Jobs change while nothing moves on the page: poll lightly while any visible job is in flight.
  ctx.setInterval(() => {
    const inFlight = [...jobs.values()].filter(isInFlight).map((j) => j.objectId);
    if (inFlight.length > 0) void refreshJobs(inFlight);
  }, 1500);
  connectPort();
  route(location.href);
}

/**
 * True when the topmost page element at (x, y) is neither inside the cell nor one of its ancestors: a page dialog or
 * pop-up sits over the row there. Hit-tests from the cell's own root so a table inside a shadow root still matches;
 * our overlay host is skipped (its controls retarget to it).
 */
function tableCovered(table: Element, clip: { top: number; bottom: number }): boolean {
  const rect = table.getBoundingClientRect();
  return isCovered(table, rect.left + rect.width / 2, (clip.top + clip.bottom) / 2);
}

function isCovered(cell: Element, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
  const root = cell.getRootNode() as Document | ShadowRoot;
  const stack = typeof root.elementsFromPoint === 'function' ? root.elementsFromPoint(x, y) : [];
  for (const element of stack) {
    if (element.localName === 'safepause-overlay') continue;
    return !(cell.contains(element) || element.contains(cell));
  }
  return false;
}

/** Keys are bounded in messages; long ones (many candidates, long names) are shortened by a stable hash. */
function hashKey(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x85ebca6b) >>> 0;
  }
  return `h${h1.toString(36)}${h2.toString(36)}${text.length.toString(36)}`;
}
