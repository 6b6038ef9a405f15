// Re-saves a corpus with SheetJS: returns as a JavaScript program writes them.
//
//     npm install xlsx@0.18.5          (in any folder; then NODE_PATH=that/node_modules)
//     node bench/resave_sheetjs.js SOURCE_DIR TARGET_DIR
//
// Every .xlsx under SOURCE_DIR (the bench's `_out` left out) is read with SheetJS (number
// formats kept) and written under TARGET_DIR at the same relative path: SheetJS's own
// package, shared strings and cell records, with the same cells and merges, and the styles
// SheetJS writes (number formats only). About 20 s for 1,200 returns.

const fs = require("fs");
const path = require("path");
const XLSX = require("xlsx");
const { corpusFiles } = require("./corpus_files");

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error("usage: node bench/resave_sheetjs.js SOURCE_DIR TARGET_DIR");
  process.exit(2);
}
let count = 0;
for (const file of corpusFiles(source)) {
  const book = XLSX.readFile(file, { cellNF: true, cellDates: true });
  const out = path.join(target, path.relative(source, file));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  XLSX.writeFile(book, out, { bookSST: true, compression: true });
  count += 1;
}
console.log(`SheetJS ${XLSX.version}: re-saved ${count} workbooks under ${target}`);
