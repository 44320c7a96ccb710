// Convert Unicode Burmese to Zawgyi with rabbit-node (MIT), one line at a time.
// Usage: node u2z.cjs path/to/rabbit-node/lib/rabbit.js < unicode.txt > zawgyi.txt
const Rabbit = require(require("path").resolve(process.argv[2]));
const lines = require("fs").readFileSync(0, "utf-8").split("\n");
if (lines.length && lines[lines.length - 1] === "") lines.pop();
process.stdout.write(lines.map((l) => Rabbit.uni2zg(l)).join("\n") + "\n");
