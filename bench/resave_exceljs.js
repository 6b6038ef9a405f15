// Re-saves a corpus with ExcelJS: returns as another JavaScript program writes them.
//
//     npm install exceljs@4            (in any folder; then NODE_PATH=that/node_modules)
//     node bench/resave_exceljs.js SOURCE_DIR TARGET_DIR
//
// Every .xlsx under SOURCE_DIR (the bench's `_out` left out) is read with ExcelJS and
// written under TARGET_DIR at the same relative path: ExcelJS's own package, styles
// (fonts, fills, borders kept), shared strings and cell records.

const fs = require("fs");
const path = require("path");
const ExcelJS = require("exceljs");
const { corpusFiles } = require("./corpus_files");

async function main() {
  const [source, target] = process.argv.slice(2);
  if (!source || !target) {
    console.error("usage: node bench/resave_exceljs.js SOURCE_DIR TARGET_DIR");
    process.exit(2);
  }
  let count = 0;
  for (const file of corpusFiles(source)) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const out = path.join(target, path.relative(source, file));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await book.xlsx.writeFile(out);
    count += 1;
  }
  console.log(`ExcelJS: re-saved ${count} workbooks under ${target}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
