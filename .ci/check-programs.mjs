#!/usr/bin/env node
// Fails when the code starts a program that .ci/run does not install: every program named in a
// spawn, spawnSync, execFile, execFileSync, exec or execSync of node:child_process (also through
// promisify(...) and through a local function that passes one of its parameters on as the
// program), and every browser named as playwright's executablePath, must be in .ci/programs with
// the Debian package .ci/run installs it from. A program that cannot be told from the code (not
// a literal, nor a constant of the same file) fails too: name it with a literal.
//
//   node .ci/check-programs.mjs [ROOT]    (ROOT: the repository to scan, by default this one)
//
// Reads the code with TypeScript's parser (a dev dependency: run it after npm ci).
/* global process, console */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(process.argv[2] ?? path.join(HERE, '..'));
const SCANNED = ['server/src', 'server/test', 'e2e', 'bench', 'bin', 'web/build', 'citus'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'artifacts', 'fixtures']);
const CHILD_PROCESS = new Set(['node:child_process', 'child_process']);
/** child_process's functions that start a program; "shell" ones take a command line. */
const STARTERS = { spawn: 'file', spawnSync: 'file', execFile: 'file', execFileSync: 'file', exec: 'shell', execSync: 'shell' };

/** .ci/programs: program -> Debian package ("-": comes with Node.js). */
function readList() {
  const list = new Map();
  for (const line of readFileSync(path.join(HERE, 'programs'), 'utf8').split('\n')) {
    const text = line.replace(/#.*/, '').trim();
    if (!text) continue;
    const [program, pkg, extra] = text.split(/\s+/);
    if (!pkg || extra) throw new Error(`.ci/programs: "${line}" is not "program package"`);
    list.set(program, pkg);
  }
  return list;
}

function sourceFiles(dir) {
  let stats;
  try { stats = statSync(dir); } catch { return []; }
  if (!stats.isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The programs one file starts: [{ program, where }] and the places it cannot tell. */
function scan(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const where = (node) => `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const found = [];
  const unknown = [];

  // Names bound to child_process's starters: named imports, a namespace (cp.spawn), promisify(execFile).
  const starters = new Map(); // local name -> { index, shell }
  const namespaces = new Set();
  const constants = new Map(); // const NAME = initializer (the file's top level and functions alike)
  const visitAll = (node, fn) => { fn(node); ts.forEachChild(node, (child) => visitAll(child, fn)); };
  visitAll(source, (node) => {
    if (ts.isImportDeclaration(node) && CHILD_PROCESS.has(node.moduleSpecifier.text)) {
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          if (STARTERS[imported]) starters.set(element.name.text, { index: 0, shell: STARTERS[imported] === 'shell' });
        }
      }
      if (node.importClause?.name) namespaces.add(node.importClause.name.text);
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constants.set(node.name.text, node.initializer);
  });
  const starterOf = (callee) => {
    if (ts.isIdentifier(callee)) return starters.get(callee.text);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text)) {
      const kind = STARTERS[callee.name.text];
      return kind ? { index: 0, shell: kind === 'shell' } : undefined;
    }
    return undefined;
  };
  // const run = promisify(execFile)
  for (const [name, init] of constants) {
    if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'promisify' && init.arguments[0]) {
      const inner = starterOf(init.arguments[0]);
      if (inner) starters.set(name, inner);
    }
  }

  // Local functions that pass a parameter on as the program: function run(command, ...) { spawn(command, ...) }.
  const functionName = (fn) => {
    if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
    if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
    return undefined;
  };
  const enclosingParameter = (identifier) => {
    for (let node = identifier.parent; node; node = node.parent) {
      if (ts.isFunctionLike(node)) {
        const index = node.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text);
        if (index >= 0) return { fn: node, index };
      }
    }
    return undefined;
  };
  for (let changed = true; changed;) {
    changed = false;
    visitAll(source, (node) => {
      if (!ts.isCallExpression(node)) return;
      const starter = starterOf(node.expression);
      const arg = starter && node.arguments[starter.index];
      if (!arg || !ts.isIdentifier(arg)) return;
      const parameter = enclosingParameter(arg);
      const name = parameter && functionName(parameter.fn);
      if (name && !starters.has(name)) { starters.set(name, { index: parameter.index, shell: starter.shell }); changed = true; }
    });
  }

  /** The program names an expression can hold, or null when the code does not tell. */
  const programsOf = (expr, shell, seen = new Set()) => {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) return programsOf(expr.expression, shell, seen);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
      const text = expr.text.trim();
      return [path.basename(shell ? text.split(/\s+/)[0] : text)];
    }
    // process.execPath is the Node.js that runs us; process.env.X is an override of the default beside it.
    if (ts.isPropertyAccessExpression(expr) && expr.getText(source) === 'process.execPath') return ['node'];
    if ((ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) && /^process\.env\b/.test(expr.getText(source))) return [];
    if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expr.operatorToken.kind)) {
      const left = programsOf(expr.left, shell, seen);
      const right = programsOf(expr.right, shell, seen);
      return left && right ? [...left, ...right] : null;
    }
    if (ts.isConditionalExpression(expr)) {
      const yes = programsOf(expr.whenTrue, shell, seen);
      const no = programsOf(expr.whenFalse, shell, seen);
      return yes && no ? [...yes, ...no] : null;
    }
    if (ts.isIdentifier(expr)) {
      if (enclosingParameter(expr)) return []; // a starter's own parameter: its callers are checked
      const init = constants.get(expr.text);
      if (!init || seen.has(expr.text)) return null;
      return programsOf(init, shell, new Set([...seen, expr.text]));
    }
    // A helper given the program's name: tool('pg_dump').
    if (ts.isCallExpression(expr)) {
      const names = expr.arguments.filter((a) => ts.isStringLiteral(a) && /^[\w./+-]+$/.test(a.text));
      return names.length > 0 ? names.map((a) => path.basename(a.text)) : null;
    }
    return null;
  };

  const record = (expr, shell, site) => {
    const programs = programsOf(expr, shell);
    if (programs === null) unknown.push(`${where(site)}: cannot tell which program "${site.getText(source).slice(0, 80)}" starts`);
    else for (const program of programs) found.push({ program, where: where(site) });
  };
  visitAll(source, (node) => {
    if (ts.isCallExpression(node)) {
      const starter = starterOf(node.expression);
      const arg = starter && node.arguments[starter.index];
      if (arg) record(arg, starter.shell, node);
    }
    // playwright's browser: chromium.launch({ executablePath: ... })
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'executablePath') record(node.initializer, false, node);
    if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'executablePath') record(node.name, false, node);
  });
  return { found, unknown };
}

const list = readList();
const files = SCANNED.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
const started = new Map(); // program -> first place
const problems = [];
for (const file of files) {
  const { found, unknown } = scan(file);
  problems.push(...unknown);
  for (const { program, where } of found) if (!started.has(program)) started.set(program, where);
}
started.delete('node');
for (const [program, where] of started) {
  if (!list.has(program)) problems.push(`${where}: starts "${program}", which .ci/programs does not list, so .ci/run does not install it (add "${program} <Debian package>")`);
}
for (const program of list.keys()) {
  if (!started.has(program)) problems.push(`.ci/programs lists "${program}", which nothing starts any more: take it off`);
}
if (problems.length > 0) {
  console.error(`check-programs: ${problems.length} problem(s) in ${files.length} files:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-programs: ${files.length} files start ${started.size} programs, each installed by .ci/run: ${[...started.keys()].sort().map((p) => `${p} (${list.get(p) === '-' ? 'Node.js' : list.get(p)})`).join(', ')}`);
