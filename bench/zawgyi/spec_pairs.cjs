// Print the Zawgyi/Unicode pairs published in myanmar-tools'
// spec/zawgyi_converter_spec.js as JSON lines {"u":..., "z":...}.
// Usage: node spec_pairs.cjs path/to/zawgyi_converter_spec.js
const fs = require("fs");
const src = fs.readFileSync(process.argv[2], "utf-8");
const start = src.indexOf("var zawygi_unicode_convert_data");
const end = src.indexOf("];", start);
if (start < 0 || end < 0) throw new Error("data array not found");
const data = new Function(src.slice(start, end + 2) + "\nreturn zawygi_unicode_convert_data;")();
for (const { u, z } of data) console.log(JSON.stringify({ u, z }));
