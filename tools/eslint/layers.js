// Enforces the dependency direction of DESIGN.md: protocols → service →
// {authz, audit, store, seal} → core. A file may import its own layer and any
// layer listed for it here; everything else under packages/server/src is a
// build failure, not a review comment.
import path from 'node:path';

const SERVER_SRC = path.join('packages', 'server', 'src');

/** Which layers each layer may import (its own layer is always allowed). */
export const ALLOWED = {
  core: [],
  store: ['core'],
  seal: ['core'],
  audit: ['core', 'store', 'seal'],
  authz: ['core'],
  service: ['core', 'store', 'seal', 'audit', 'authz'],
  protocols: ['core', 'service', 'authz', 'ops'],
  ops: ['core'],
  // `custos server` and `custos init` start the composition root (loaded lazily).
  cli: ['core', 'ops', 'app'],
  app: ['core', 'service', 'store', 'seal', 'audit', 'authz', 'protocols', 'ops', 'cli'],
};

function layerOf(file) {
  const rel = path.relative(path.resolve(SERVER_SRC), path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0];
  if (first === undefined) return undefined;
  // Top-level files (app.ts, index.ts) are the composition root.
  if (!rel.includes(path.sep)) return 'app';
  return first;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports must follow the layer direction of DESIGN.md' },
    schema: [],
    messages: {
      upward: "Layer '{{from}}' may not import from layer '{{to}}' (allowed: {{allowed}}).",
      unknown: "File is in unknown layer '{{from}}'; add it to tools/eslint/layers.js.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (from === undefined) return {};
    const allowed = ALLOWED[from];
    function check(node, source) {
      if (allowed === undefined) {
        context.report({ node, messageId: 'unknown', data: { from } });
        return;
      }
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const to = layerOf(target);
      if (to === undefined || to === from || allowed.includes(to)) return;
      context.report({
        node,
        messageId: 'upward',
        data: { from, to, allowed: allowed.length > 0 ? allowed.join(', ') : 'none' },
      });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { 'layer-direction': rule } };
