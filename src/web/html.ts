// Server-rendered HTML: one escaping template tag (every interpolated value is escaped unless it is
// already Html), and the page layout every page shares (headings, navigation, skip link, contrast).
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const escapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => escapes[character] ?? character);
}

type Interpolated = Html | string | number | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return (value as readonly Interpolated[]).map(render).join('');
  return escapeHtml(String(value));
}

/** html`<p>${untrusted}</p>`: values are escaped, nested html`` fragments and arrays are not. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => { out += render(value) + (strings[index + 1] ?? ''); });
  return new Html(out);
}

export function raw(text: string): Html {
  return new Html(text);
}

export interface PageChrome {
  title: string;
  /** The signed-in voter's public name, or null. */
  signedInAs: string | null;
  /** Anti-forgery token for the sign-out form when signed in. */
  csrf?: string;
  scripts?: readonly string[];
}

const styles = `
:root{color-scheme:light;--ink:#111;--muted:#3d3d3d;--line:#8a8a8a;--accent:#0b4f9c;--bg:#fff;--panel:#f3f5f8}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a500;outline-offset:2px}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid var(--line)}nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.panel{background:var(--panel);padding:.75rem 1rem;border-radius:6px;margin:1rem 0}
.ok{color:#0a5d1a;font-weight:600}.bad{color:#a00000;font-weight:600}
.code{font:700 2.5rem/1.2 ui-monospace,monospace;letter-spacing:.3rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}input,select,button{font:inherit;padding:.4rem .6rem;max-width:100%}
button{background:var(--accent);color:#fff;border:0;border-radius:4px;cursor:pointer}
form.inline{display:inline}.muted{color:var(--muted)}.scroll{overflow-x:auto}
@media (max-width:40rem){th,td{padding:.25rem}.code{font-size:2rem}}
`;

export function page(chrome: PageChrome, body: Html): Html {
  const account = chrome.signedInAs === null
    ? html`<li><a href="/sign-in">Sign in</a></li>`
    : html`<li><a href="/account">${chrome.signedInAs}</a></li>
      <li><form class="inline" method="post" action="/sign-out"><input type="hidden" name="csrf" value="${chrome.csrf ?? ''}">
      <button type="submit">Sign out</button></form></li>`;
  const scripts = (chrome.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${chrome.title} · The Delegate Network</title><style>${raw(styles)}</style>${scripts}</head>
<body><a class="skip" href="#main">Skip to content</a>
<header><p><strong><a href="/">The Delegate Network</a></strong></p>
<nav aria-label="Main"><ul><li><a href="/">Bills</a></li><li><a href="/voters">Voters</a></li>
<li><a href="/log">Audit log</a></li><li><a href="/snapshot">Snapshot</a></li>${account}</ul></nav></header>
<main id="main"><h1>${chrome.title}</h1>${body}</main>
<footer><p class="muted">Every vote, delegation and payment is public in the <a href="/log">audit log</a>.
Phone numbers are never shown. <a href="/api">JSON API</a>.</p></footer></body></html>`;
}
