// Reads the list-response example of specs/fone-dynamics.yaml through the types that
// openapi-typescript generated from it. Run by .ci/specs.sh.
import { readFileSync } from "node:fs";
import type { components, paths } from "./generated/fone-dynamics.js";

type ListResponse =
  paths["/v2/Properties/{PropertySid}/Numbers"]["get"]["responses"][200]["content"]["application/json"];
type FoneNumber = components["schemas"]["FoneNumber"];

const page: ListResponse = JSON.parse(readFileSync(process.argv[2], "utf8"));
// The list arrives wrapped in `Numbers` or as a bare array; the type is the union.
const items: FoneNumber[] = Array.isArray(page) ? page : page.Numbers;
if (items.length === 0) throw new Error("fone-dynamics: the example lists no numbers");
// The property's own type: the listed values, or any string once the enum is open.
const types: FoneNumber["Type"][] = items.map((n) => n.Type);
console.log(`fone-dynamics: ${items.length} numbers (${items.map((n) => n.Number).join(", ")}), types ${types.join(", ")}`);
