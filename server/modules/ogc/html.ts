/**
 * The plain HTML view of the OGC API pages (`f=html`, or a browser's Accept): headings, tables
 * and links, no script, in the app's two languages side by side. Everything interpolated is
 * escaped.
 */
export const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface HtmlLink {
  href: string;
  rel: string;
  title?: string;
}

export function page(title: string, body: string, links: HtmlLink[] = []): string {
  const nav = links.length
    ? `<nav><ul>${links.map((l) => `<li><a href="${escapeHtml(l.href)}" rel="${escapeHtml(l.rel)}">${escapeHtml(l.title ?? l.rel)}</a></li>`).join('')}</ul></nav>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Wangge OGC API</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#1f2933}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #cbd2d9;padding:.25rem .5rem;text-align:left;font-size:.9rem}th{background:#f0f4f8}nav ul{display:flex;gap:1rem;list-style:none;padding:0}
code{background:#f0f4f8;padding:0 .2rem}</style></head>
<body><header><a href="/ogc?f=html">网格 Wangge · OGC API – Features</a></header>${nav}<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function table(head: string[], rows: unknown[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'object' && c !== null && 'html' in c ? (c as { html: string }).html : escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export const anchor = (href: string, text: string) => ({ html: `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` });
