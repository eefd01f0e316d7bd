// The operation table as the core declares it: the rows of
// `for_each_operation!` in crates/core/src/ops.rs, read from the source, so
// that a test can hold the package to the core rather than to a list of its
// own. A row is `name, jsName, single|paged, METHOD "/path" [params], Request => Response;`
// inside a `server { … }` or `account { … }` block.
import { readFileSync } from "node:fs";

const OPS = new URL("../../../../crates/core/src/ops.rs", import.meta.url);
const ROW = /^\s*(\w+), (\w+), (single|paged), ([A-Z]+) "([^"]+)" \[[^\]]*\], .+;$/;
const BLOCK = /^\s*(server|account) \{$/;

/** `[{name, jsName, token, paged, method, path}]`, in the table's order, as `operations()` answers it. */
export function coreOperations() {
  const source = readFileSync(OPS, "utf8");
  const start = source.indexOf("macro_rules! for_each_operation");
  if (start < 0) throw new Error(`no for_each_operation! in ${OPS.pathname}`);
  const table = source.slice(start, source.indexOf("\n}\n", start));
  const rows = [];
  let token = null;
  for (const line of table.split("\n")) {
    token = BLOCK.exec(line)?.[1] ?? token;
    const row = ROW.exec(line);
    if (row) {
      const [, name, jsName, paging, method, path] = row;
      rows.push({ name, jsName, token, paged: paging === "paged", method, path });
    }
  }
  return rows;
}
