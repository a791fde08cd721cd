// StrykerJS ignorers (stryker.config.mjs `ignorers`). 'help-text': the commands' help text is not mutated.
// The description strings handed to commander (`.description(text)`, `.argument(name, text)`, `.option(flags, text)`,
// `new Option(flags, text)`, ...) only change what `--help` prints, which a person reads; a test pinning each sentence
// would turn every rewording into a test change (docs/mutation.md). Mutants there are reported as Ignored, with this
// reason, instead of counting as survivors. Only the text argument is left alone: the option's flags, its parser and
// its default value are behaviour, and stay mutated.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

/** commander method -> the index of its help-text argument */
const TEXT_ARGUMENT = { description: 0, summary: 0, argument: 1, option: 1, requiredOption: 1, addHelpText: 1, showHelpAfterError: 0 };
/** commander constructors -> the index of their help-text argument (new Option(flags, description)) */
const TEXT_CONSTRUCTOR = { Option: 1, Argument: 1 };
/** the project's own helpers that build an option from (flags, description, ...) (harness/cli/options.ts) */
const TEXT_HELPER = { optionWithDefault: [1, 3], reportersOption: [0] };

const REASON = 'help text: only changes --help (docs/mutation.md)';

function isTextArgument(path) {
  const parent = path.parentPath;
  // a helper's help-text parameter default: reportersOption(description = `comma-separated: ...`)
  if (parent?.node.type === 'AssignmentPattern' && path.key === 'right' && parent.node.left.type === 'Identifier' && parent.node.left.name === 'description') return true;
  if (!parent || path.listKey !== 'arguments') return false;
  const call = parent.node;
  const i = path.key;
  if (call.type === 'CallExpression' && call.callee.type === 'MemberExpression' && call.callee.property.type === 'Identifier') {
    return TEXT_ARGUMENT[call.callee.property.name] === i;
  }
  if (call.type === 'NewExpression' && call.callee.type === 'Identifier') return TEXT_CONSTRUCTOR[call.callee.name] === i;
  if (call.type === 'CallExpression' && call.callee.type === 'Identifier') return TEXT_HELPER[call.callee.name]?.includes(i) ?? false;
  return false;
}

const STATIC_REASON = 'module load: runs once, before Stryker activates a mutant under the vitest runner (docs/mutation.md)';

/** The program-level statement a path lies in (itself when it is one). */
function topStatement(path) {
  let p = path;
  while (p.parentPath && !p.parentPath.isProgram()) p = p.parentPath;
  return p.parentPath ? p : undefined;
}

/** A function (or class) at or below the path: its body runs when called, after the module has loaded. */
function holdsCode(path) {
  if (path.isFunction() || path.isClass()) return true;
  let found = false;
  path.traverse({
    Function(p) { found = true; p.stop(); },
    Class(p) { found = true; p.stop(); },
  });
  return found;
}

export const strykerPlugins = [
  // Module-level tables and constants (`const X = ...`, a `for` loop or a bare `{ ... }` block filling a table, as
  // round.ts's POW2): the vitest runner loads a
  // module once per test process, before any mutant is active, so a mutant there is never seen by a test and reads
  // as a survivor whatever the tests do. `ignoreStatic` does not catch these under vitest; this ignorer leaves them
  // out as ignoreStatic means to. Other top-level statements (main.ts's parse, run by tests that import it afresh)
  // and every function body, arrow functions in a constant included, stay mutated.
  declareValuePlugin(PluginKind.Ignore, 'module-load', {
    shouldIgnore(path) {
      if (path.isProgram() || path.getFunctionParent() || path.findParent((p) => p.isClass())) return undefined;
      const top = topStatement(path);
      if (!top) return undefined;
      const decl = top.isExportNamedDeclaration() ? top.get('declaration') : top;
      if (!decl.node || !(decl.isVariableDeclaration() || decl.isForStatement() || decl.isBlockStatement())) return undefined;
      return holdsCode(path) ? undefined : STATIC_REASON;
    },
  }),
  declareValuePlugin(PluginKind.Ignore, 'help-text', {
    shouldIgnore(path) {
      const t = path.node.type;
      if ((t === 'StringLiteral' || t === 'TemplateLiteral') && isTextArgument(path)) return REASON;
      return undefined;
    },
  }),
];
