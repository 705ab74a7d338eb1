import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** One regular expression written in the source, where it is, and what it is. */
export interface FoundRegex {
  /** "server/routes/x.ts:12" */
  where: string;
  /** The pattern's source, or undefined when `new RegExp` is given something computed. */
  source: string | undefined;
  flags: string;
  /** The text of the expression as written, to name it in messages. */
  text: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : tsFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The string a literal expression stands for: "a", `a`, "a" + "b"; undefined if it is computed. */
function literalString(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return literalString(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalString(node.left);
    const right = literalString(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/**
 * Every regular expression in the TypeScript files under `dirs`: regex literals, and `new RegExp`
 * or `RegExp(...)` calls (with their source when it is written as a literal string).
 */
export function findRegexes(root: string, dirs: readonly string[]): FoundRegex[] {
  const found: FoundRegex[] = [];
  for (const file of dirs.flatMap((d) => tsFiles(join(root, d)))) {
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) =>
      `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(sf);
        const slash = text.lastIndexOf("/");
        found.push({ where: where(node), source: text.slice(1, slash), flags: text.slice(slash + 1), text });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "RegExp"
      ) {
        const [pattern, flags] = node.arguments ?? [];
        found.push({
          where: where(node),
          source: pattern ? literalString(pattern) : "",
          flags: (flags && literalString(flags)) ?? "",
          text: node.getText(sf),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}
