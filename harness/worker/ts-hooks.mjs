// Module hooks (node:module register) that let a JavaScript worker import a TypeScript candidate as written:
// .ts/.mts/.cts files are transpiled with the TypeScript compiler's transpileModule (types erased, no type check),
// and `./x.js` imports that name a TypeScript source `./x.ts` resolve to it, as TypeScript's own resolution does.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TS = /\.(c|m)?ts$/;
let ts;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    if (context.parentURL && TS.test(new URL(context.parentURL).pathname) && /\.(c|m)?js$/.test(specifier)) {
      const url = new URL(specifier.replace(/js$/, 'ts'), context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw e;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return nextLoad(url, context);
  ts ??= (await import('typescript')).default;
  const path = fileURLToPath(url);
  const cjs = path.endsWith('.cts');
  const out = ts.transpileModule(readFileSync(path, 'utf8'), {
    fileName: path,
    compilerOptions: { module: cjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, esModuleInterop: true },
  });
  return { format: cjs ? 'commonjs' : 'module', source: out.outputText, shortCircuit: true };
}
