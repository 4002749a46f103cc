import type { OpenApiDocument } from './openapi.js';

/*
 * The browsable /docs page: plain HTML rendered on the server from the
 * OpenAPI document. Self-contained (inline CSS, no script, no CDN) so it works
 * offline and under a strict Content-Security-Policy.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1d232a}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
.op{border:1px solid #d0d7de;border-radius:6px;margin:.6rem 0;padding:.4rem .8rem}
.m{display:inline-block;min-width:4.5rem;font:600 13px monospace;color:#fff;border-radius:4px;
padding:.1rem .4rem;text-align:center;background:#57606a}
.GET{background:#0969da}.POST{background:#1a7f37}.PUT{background:#9a6700}
.PATCH{background:#8250df}.DELETE{background:#cf222e}
.dep{text-decoration:line-through}.badge{color:#cf222e;font-size:13px;margin-left:.5rem}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f6f8fa;padding:.6rem;overflow:auto}
summary{cursor:pointer}`;

interface OperationLike {
  readonly operationId?: string;
  readonly summary?: string;
  readonly tags?: readonly string[];
  readonly deprecated?: boolean;
  readonly parameters?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses?: unknown;
}

function block(title: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value) && value.length === 0) return '';
  return `<p>${title}</p><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
}

function renderOperation(method: string, path: string, op: OperationLike): string {
  const verb = method.toUpperCase();
  const deprecated = op.deprecated === true;
  return `<div class="op" id="${escapeHtml(op.operationId ?? '')}"><details>
<summary><span class="m ${verb}">${verb}</span> <code class="${deprecated ? 'dep' : ''}">${escapeHtml(path)}</code>
 ${escapeHtml(op.summary ?? '')}${deprecated ? '<span class="badge">deprecated</span>' : ''}</summary>
<p>Operation <code>${escapeHtml(op.operationId ?? '')}</code></p>
${block('Parameters', op.parameters)}${block('Request body', op.requestBody)}${block('Responses', op.responses)}
</details></div>`;
}

/**
 * The HTML page of an OpenAPI document: operations grouped by tag, schemas
 * as JSON, components at the end.
 */
export function renderDocsPage(doc: OpenApiDocument, openApiUrl: string): string {
  const byTag = new Map<string, string[]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, value] of Object.entries(methods)) {
      const op = value as OperationLike;
      const tag = op.tags?.[0] ?? 'Other';
      const list = byTag.get(tag) ?? [];
      list.push(renderOperation(method, `${doc.servers[0]?.url ?? ''}${path}`, op));
      byTag.set(tag, list);
    }
  }
  const sections = [...byTag]
    .map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>\n${ops.join('\n')}`)
    .join('\n');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) => `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3>
<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(doc.info.title)} <small>v${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description)} Machine-readable: <a href="${escapeHtml(openApiUrl)}">${escapeHtml(openApiUrl)}</a>.</p>
<nav>${doc.tags.map((t) => `<a href="#${escapeHtml(t.name)}">${escapeHtml(t.name)}</a>`).join(' · ')}</nav>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</body></html>`;
}
