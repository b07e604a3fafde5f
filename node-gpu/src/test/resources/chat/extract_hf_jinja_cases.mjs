// Regenerates hf-jinja-e2e-cases.json from huggingface.js' packages/jinja/test/e2e.test.js (MIT).
// Usage: node extract_hf_jinja_cases.mjs <e2e.test.js> <commit> > hf-jinja-e2e-cases.json
// The test file's constants (everything before `function render`) are evaluated as a module; its
// imports (vitest, the hub client, the package itself) are dropped, since only the data is needed.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [file, commit] = process.argv.slice(2);
const source = readFileSync(file, "utf8");
const data = source.slice(0, source.indexOf("function render(")).replace(/^import .*$/gm, "");
const dir = mkdtempSync(join(tmpdir(), "hf-jinja-"));
writeFileSync(
	join(dir, "cases.mjs"),
	data + "\nexport { TEST_DEFAULT_TEMPLATES, TEST_CUSTOM_TEMPLATES };\n",
);
const { TEST_DEFAULT_TEMPLATES, TEST_CUSTOM_TEMPLATES } = await import(join(dir, "cases.mjs"));
const cases = [];
for (const [group, table] of [["default", TEST_DEFAULT_TEMPLATES], ["custom", TEST_CUSTOM_TEMPLATES]]) {
	for (const [name, c] of Object.entries(table)) {
		cases.push({ name, group, template: c.chat_template, context: c.data, expected: c.target });
	}
}
process.stdout.write(
	JSON.stringify(
		{
			source: `https://github.com/huggingface/huggingface.js/blob/${commit}/packages/jinja/test/e2e.test.js`,
			license: "MIT (huggingface.js, Copyright (c) Hugging Face); data copied unchanged",
			note: "TEST_DEFAULT_TEMPLATES then TEST_CUSTOM_TEMPLATES; the test fixes the clock at 2025-07-10T12:00:00Z for strftime_now",
			cases,
		},
		null,
		1,
	) + "\n",
);
