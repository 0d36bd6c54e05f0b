// @ts-check
// The component library's versioned web components. Each renders into an open shadow root; the
// tag names carry the library version, as on the real page.

/**
 * @param {string} tag
 * @param {string} text
 * @param {Record<string, string>} [attributes]
 */
export function h(tag, text = '', attributes = {}) {
  const element = document.createElement(tag);
  if (text) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** @param {ShadowRoot} root @param {string} css */
function addStyle(root, css) {
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** @type {Record<string, string>} */
const ICON_PATHS = {
  plus: 'M8 2v12M2 8h12',
  refresh: 'M13 8a5 5 0 1 1-1.5-3.6M13 2.5V5h-2.5',
  columns: 'M2.5 3h11v10h-11zM6.2 3v10M9.8 3v10',
  download: 'M8 2.5v7.5M4.8 7l3.2 3.2L11.2 7M3 13.5h10',
  more: 'M3.5 8h.01M8 8h.01M12.5 8h.01',
  close: 'M3.5 3.5l9 9M12.5 3.5l-9 9',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.6 10.6L14 14',
  calendar: 'M2.5 4h11v9.5h-11zM2.5 7h11M5.5 2.5v3M10.5 2.5v3',
  chevron: 'M4.5 6.5L8 10l3.5-3.5',
  edit: 'M10.5 2.5l3 3-7.5 7.5H3v-3z',
  chart: 'M2.5 13.5h11M4.5 11V8M8 11V4.5M11.5 11V6.5',
};

/** @param {string} name */
export function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', name === 'more' ? '2.6' : '1.5');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICON_PATHS[name] ?? '');
  svg.append(path);
  return svg;
}

const BUTTON_CSS = `
:host { display: inline-flex; vertical-align: middle; }
:host([hidden]) { display: none; }
button {
  all: unset; box-sizing: border-box; display: inline-flex; align-items: center; gap: 6px;
  height: 32px; padding: 0 14px; border-radius: 4px; cursor: pointer; white-space: nowrap;
  font: 500 14px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #161823; background: #fff; border: 1px solid #d0d1d3;
  transition: background-color 120ms, border-color 120ms;
}
button:hover { background: #f5f5f6; }
button:focus-visible { outline: 2px solid #2a6ef5; outline-offset: 1px; }
:host([variant="primary"]) button { color: #fff; background: #fe2c55; border-color: #fe2c55; }
:host([variant="primary"]) button:hover { background: #e6264c; border-color: #e6264c; }
:host([disabled]) button { opacity: .5; cursor: not-allowed; }
::slotted(svg) { flex: none; }
`;

class KsButton extends HTMLElement {
  static observedAttributes = ['disabled'];
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    addStyle(root, BUTTON_CSS);
    this.button = h('button', '', { type: 'button', part: 'button' });
    const iconSlot = h('slot', '', { name: 'icon' });
    this.button.append(iconSlot, h('slot'));
    root.append(this.button);
  }
  attributeChangedCallback() {
    const disabled = this.hasAttribute('disabled');
    this.button.toggleAttribute('disabled', disabled);
  }
}

const ICON_BUTTON_CSS = `
:host { display: inline-flex; vertical-align: middle; }
button {
  all: unset; box-sizing: border-box; display: inline-flex; align-items: center; justify-content: center;
  width: 32px; height: 32px; border-radius: 4px; cursor: pointer; color: #54555b;
  border: 1px solid #d0d1d3; background: #fff;
}
:host([borderless]) button { border-color: transparent; background: transparent; width: 28px; height: 28px; }
button:hover { background: #f1f1f2; color: #161823; }
button:focus-visible { outline: 2px solid #2a6ef5; outline-offset: 1px; }
`;

class KsIconButton extends HTMLElement {
  static observedAttributes = ['icon', 'label'];
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    addStyle(root, ICON_BUTTON_CSS);
    this.button = h('button', '', { type: 'button', part: 'button' });
    root.append(this.button);
  }
  attributeChangedCallback() {
    this.button.setAttribute('aria-label', this.getAttribute('label') ?? '');
    this.button.setAttribute('title', this.getAttribute('label') ?? '');
    this.button.replaceChildren(icon(this.getAttribute('icon') ?? 'more'));
  }
}

const TEXT_CSS = `
:host { display: inline; color: inherit; font: inherit; }
:host([tone="success"]) { color: #0e8a4a; }
:host([tone="warning"]) { color: #b86e00; }
:host([tone="danger"]) { color: #d3223d; }
:host([tone="muted"]) { color: #8a8b91; }
span { display: inline-flex; align-items: center; gap: 6px; }
:host([dot]) span::before { content: ""; width: 6px; height: 6px; border-radius: 50%; background: currentColor; flex: none; }
`;

class KsText extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    addStyle(root, TEXT_CSS);
    const span = h('span', '', { part: 'text' });
    span.append(h('slot'));
    root.append(span);
  }
}

const SWITCH_CSS = `
:host { display: inline-flex; vertical-align: middle; }
button {
  all: unset; box-sizing: border-box; position: relative; width: 36px; height: 20px; border-radius: 10px;
  background: #c4c5c9; cursor: pointer; transition: background-color 150ms; flex: none;
}
button[aria-checked="true"] { background: #1db487; }
button:focus-visible { outline: 2px solid #2a6ef5; outline-offset: 2px; }
button:disabled { cursor: not-allowed; opacity: .45; }
.thumb {
  position: absolute; top: 2px; left: 2px; width: 16px; height: 16px; border-radius: 50%; background: #fff;
  box-shadow: 0 1px 2px rgba(0,0,0,.25); transition: transform 150ms;
}
button[aria-checked="true"] .thumb { transform: translateX(16px); }
:host([loading]) .thumb::after {
  content: ""; position: absolute; inset: 3px; border-radius: 50%; border: 2px solid #c4c5c9;
  border-top-color: transparent; animation: spin 700ms linear infinite;
}
@keyframes spin { to { transform: rotate(360deg); } }
`;

/**
 * The On/Off switch. Controlled: a click does not flip it; it emits `ks-change` with the wanted
 * state and the owner sets `checked` once the change went through.
 */
class KsSwitch extends HTMLElement {
  static observedAttributes = ['checked', 'disabled', 'loading'];
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    addStyle(root, SWITCH_CSS);
    this.button = h('button', '', { type: 'button', role: 'switch', 'aria-checked': 'false', 'aria-label': 'On/Off' });
    this.button.append(h('span', '', { class: 'thumb' }));
    this.button.addEventListener('click', () => {
      if (this.hasAttribute('disabled') || this.hasAttribute('loading')) return;
      this.dispatchEvent(
        new CustomEvent('ks-change', { bubbles: true, composed: true, detail: { checked: !this.checked } }),
      );
    });
    root.append(this.button);
  }
  get checked() {
    return this.hasAttribute('checked');
  }
  set checked(value) {
    this.toggleAttribute('checked', Boolean(value));
  }
  attributeChangedCallback() {
    this.button.setAttribute('aria-checked', String(this.checked));
    this.button.toggleAttribute('disabled', this.hasAttribute('disabled'));
    this.button.setAttribute('aria-busy', String(this.hasAttribute('loading')));
  }
}

/** @param {string} tag @param {CustomElementConstructor} element */
function define(tag, element) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

define('ks-button-1-1-14', KsButton);
define('ks-icon-button-1-1-14', KsIconButton);
define('ks-text-2-0-3', KsText);
define('ks-switch-1-2-3', KsSwitch);

/**
 * @param {string} label
 * @param {{variant?: string, icon?: string}} [options]
 */
export function ksButton(label, options = {}) {
  const button = h('ks-button-1-1-14', '', options.variant ? { variant: options.variant } : {});
  if (options.icon) {
    const svg = icon(options.icon);
    svg.setAttribute('slot', 'icon');
    button.append(svg);
  }
  button.append(label);
  return button;
}

/** @param {string} iconName @param {string} label @param {boolean} [borderless] */
export function ksIconButton(iconName, label, borderless = false) {
  return h('ks-icon-button-1-1-14', '', { icon: iconName, label, ...(borderless ? { borderless: '' } : {}) });
}
