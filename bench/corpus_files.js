// The .xlsx files of a corpus, for the re-saving scripts (`resave_sheetjs.js`,
// `resave_exceljs.js`): every one under a folder, sorted, the bench's `_out` left out.

const fs = require("fs");
const path = require("path");

function corpusFiles(dir, out = []) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) {
      if (name !== "_out") corpusFiles(p, out);
    } else if (name.toLowerCase().endsWith(".xlsx")) {
      out.push(p);
    }
  }
  return out;
}

module.exports = { corpusFiles };
