// Turns one notebook cell (TypeScript or JavaScript) into a script that evaluates to an async
// function, REPL style:
// - top-level `const`/`let`/`var`/`class` declarations become assignments on globalThis, and
//   top-level functions are also copied there, so later cells see them and re-running a cell that
//   declares a `const` again works like re-running a Jupyter cell;
// - `import` declarations become `await __notebook__.import(spec)` (dynamic `import()` too), so
//   imports work in a script and resolve from the notebook's cwd, then the executor's packages;
// - a final expression statement becomes the function's return value (the cell's result);
// - top-level `await` works because the whole cell is the body of an async function.
// TypeScript's transpileModule does the type stripping and produces the source map that error
// tracebacks use to point at the cell's own lines.
import ts from "typescript";
import { KERNEL_GLOBAL } from "./protocol";

export type CellLanguage = "typescript" | "javascript";

export interface TranspiledCell {
  /** Script text; evaluating it yields `async function () { ... }`. */
  code: string;
  /** Source map (v3 JSON) of `code` back to the cell source. */
  map: string;
  /** Characters added before the cell's code on the first generated line. */
  firstLineOffset: number;
}

export interface CellSyntaxError {
  message: string;
  /** 1-based line and column in the cell source. */
  line: number;
  column: number;
}

export class CellCompileError extends Error {
  override readonly name = "SyntaxError";
  constructor(readonly errors: CellSyntaxError[]) {
    super(errors[0]?.message ?? "syntax error");
  }
}

const WRAPPER_START = '(async function () { "use strict"; ';
const WRAPPER_END = "\n})";

function globalRef(f: ts.NodeFactory, name: string): ts.Expression {
  return f.createPropertyAccessExpression(f.createIdentifier("globalThis"), f.createIdentifier(name));
}

function kernelCall(f: ts.NodeFactory, method: string, args: ts.Expression[]): ts.Expression {
  return f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(KERNEL_GLOBAL), f.createIdentifier(method)), undefined, args);
}

/** `{ a, b: [c = 1], ...r }` binding pattern -> the same shape as an assignment pattern on globalThis. */
function bindingToAssignmentTarget(f: ts.NodeFactory, name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return globalRef(f, name.text);
  if (ts.isObjectBindingPattern(name)) {
    const props = name.elements.map((el): ts.ObjectLiteralElementLike => {
      const target = bindingToAssignmentTarget(f, el.name);
      if (el.dotDotDotToken) return f.createSpreadAssignment(target);
      const withDefault = el.initializer ? f.createAssignment(target, el.initializer) : target;
      const key = el.propertyName ?? (ts.isIdentifier(el.name) ? f.createIdentifier(el.name.text) : undefined);
      if (key === undefined) throw new Error("object binding element without a property name");
      return f.createPropertyAssignment(key, withDefault);
    });
    return f.createObjectLiteralExpression(props, false);
  }
  const elements = name.elements.map((el): ts.Expression => {
    if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
    const target = bindingToAssignmentTarget(f, el.name);
    if (el.dotDotDotToken) return f.createSpreadElement(target);
    return el.initializer ? f.createAssignment(target, el.initializer) : target;
  });
  return f.createArrayLiteralExpression(elements, false);
}

function stripExport(f: ts.NodeFactory, modifiers: ts.NodeArray<ts.ModifierLike> | undefined): ts.ModifierLike[] | undefined {
  if (!modifiers) return undefined;
  return modifiers.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
}

function rewriteVariableStatement(f: ts.NodeFactory, stmt: ts.VariableStatement): ts.Statement[] {
  const isVar = (stmt.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
  return stmt.declarationList.declarations.map((decl) => {
    let statement: ts.Statement;
    if (ts.isIdentifier(decl.name)) {
      const name = decl.name.text;
      const value = decl.initializer ?? (isVar ? globalRef(f, name) : f.createVoidZero());
      statement = f.createExpressionStatement(f.createAssignment(globalRef(f, name), value));
    } else {
      const init = decl.initializer ?? f.createVoidZero();
      statement = f.createExpressionStatement(f.createParenthesizedExpression(f.createAssignment(bindingToAssignmentTarget(f, decl.name) as ts.ObjectLiteralExpression, init)));
    }
    return ts.setTextRange(statement, decl);
  });
}

function rewriteImport(f: ts.NodeFactory, stmt: ts.ImportDeclaration, index: number): ts.Statement[] {
  const clause = stmt.importClause;
  if (clause?.isTypeOnly) return [];
  const spec = stmt.moduleSpecifier;
  const load = f.createAwaitExpression(kernelCall(f, "import", [spec]));
  if (!clause) return [ts.setTextRange(f.createExpressionStatement(load), stmt)];
  const moduleVar = `__notebook_import_${index}__`;
  const out: ts.Statement[] = [
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(moduleVar, undefined, undefined, load)], ts.NodeFlags.Const)),
  ];
  const assign = (local: string, value: ts.Expression) => out.push(f.createExpressionStatement(f.createAssignment(globalRef(f, local), value)));
  const mod = f.createIdentifier(moduleVar);
  if (clause.name) assign(clause.name.text, f.createPropertyAccessExpression(mod, "default"));
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) assign(bindings.name.text, mod);
  else if (bindings) {
    for (const el of bindings.elements) {
      if (el.isTypeOnly) continue;
      const imported = el.propertyName ?? el.name;
      const key = ts.isIdentifier(imported) ? f.createStringLiteral(imported.text) : imported;
      assign(el.name.text, f.createElementAccessExpression(mod, key));
    }
  }
  return out.map((s) => ts.setTextRange(s, stmt));
}

function cellTransformer(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  const f = context.factory;
  const rewriteDynamicImports = (node: ts.Node): ts.Node => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const args = ts.visitNodes(node.arguments, rewriteDynamicImports, ts.isExpression);
      return ts.setTextRange(kernelCall(f, "import", [...args]), node);
    }
    return ts.visitEachChild(node, rewriteDynamicImports, context);
  };

  return (sourceFile) => {
    const hoisted: ts.Statement[] = [];
    const body: ts.Statement[] = [];
    // Only an expression the user wrote is the cell's value, not an assignment made from a declaration.
    let lastIsUserExpression = false;
    sourceFile.statements.forEach((original, index) => {
      if (ts.isExportDeclaration(original)) return;
      // TypeScript already lowered e.g. enums into statements; look at what the user wrote.
      const written = ts.getOriginalNode(original);
      lastIsUserExpression = ts.isExpressionStatement(written) || ts.isExportAssignment(written);
      const stmt = ts.visitNode(original, rewriteDynamicImports, ts.isStatement);
      if (ts.isImportDeclaration(stmt)) body.push(...rewriteImport(f, stmt, index));
      else if (ts.isExportDeclaration(stmt)) return;
      else if (ts.isExportAssignment(stmt)) body.push(ts.setTextRange(f.createExpressionStatement(stmt.expression), stmt));
      else if (ts.isVariableStatement(stmt)) body.push(...rewriteVariableStatement(f, stmt));
      else if (ts.isFunctionDeclaration(stmt) && stmt.name && stmt.body) {
        // Hoisted like a declaration, but as a global: code of earlier cells that calls `f` gets the
        // latest definition, as in a Jupyter kernel.
        const modifiers = stripExport(f, stmt.modifiers)?.filter((m): m is ts.Modifier => ts.isModifier(m));
        const fn = f.createFunctionExpression(modifiers, stmt.asteriskToken, stmt.name, stmt.typeParameters, stmt.parameters, stmt.type, stmt.body);
        hoisted.push(ts.setTextRange(f.createExpressionStatement(f.createAssignment(globalRef(f, stmt.name.text), ts.setTextRange(fn, stmt))), stmt));
      } else if (ts.isClassDeclaration(stmt) && stmt.name) {
        const expr = f.createClassExpression(stripExport(f, stmt.modifiers), stmt.name, stmt.typeParameters, stmt.heritageClauses, stmt.members);
        body.push(ts.setTextRange(f.createExpressionStatement(f.createAssignment(globalRef(f, stmt.name.text), expr)), stmt));
      } else body.push(stmt);
    });
    const last = body.at(-1);
    if (lastIsUserExpression && last && ts.isExpressionStatement(last)) {
      body[body.length - 1] = ts.setTextRange(f.createReturnStatement(last.expression), last);
    }
    return f.updateSourceFile(sourceFile, [...hoisted, ...body]);
  };
}

export function transpileCell(source: string, options: { language: CellLanguage; fileName: string }): TranspiledCell {
  const fileName = options.language === "javascript" ? "cell.js" : "cell.ts";
  const result = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      verbatimModuleSyntax: true,
      allowJs: true,
      sourceMap: true,
      useDefineForClassFields: true,
      experimentalDecorators: false,
      jsx: ts.JsxEmit.Preserve,
    },
    transformers: { after: [cellTransformer] },
  });
  const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined);
  if (errors.length > 0) {
    const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022);
    throw new CellCompileError(
      errors.map((d) => {
        const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
        return { message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line: line + 1, column: character + 1 };
      }),
    );
  }
  const output = result.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "");
  const map = JSON.parse(result.sourceMapText ?? "{}") as { sources?: string[]; file?: string };
  map.sources = [options.fileName];
  map.file = options.fileName;
  return { code: `${WRAPPER_START}${output}${WRAPPER_END}`, map: JSON.stringify(map), firstLineOffset: WRAPPER_START.length };
}
