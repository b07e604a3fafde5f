// The chat-template reference for the tests: @huggingface/jinja, which renders chat templates as
// transformers does (Jinja2 with trim_blocks and lstrip_blocks). Not our code.
//
// stdin: {"now": "2025-07-10T12:00:00Z" (optional, the clock strftime_now reads),
//         "cases": [{"template": "...", "context": {...}}, ...]}
// stdout: one JSON array, one entry per case: {"text": "..."} or {"error": "..."} (a parse error
// or an exception raised while rendering, e.g. by raise_exception).
import { readFileSync } from "node:fs";
import { Template } from "@huggingface/jinja";

const request = JSON.parse(readFileSync(0, "utf8"));
if (request.now !== undefined) {
	const fixed = new Date(request.now).getTime();
	if (Number.isNaN(fixed)) throw new Error(`now is not a date: ${request.now}`);
	const RealDate = Date;
	globalThis.Date = class extends RealDate {
		constructor(...args) {
			super(...(args.length === 0 ? [fixed] : args));
		}
		static now() {
			return fixed;
		}
	};
}
const results = request.cases.map(({ template, context }) => {
	try {
		return { text: new Template(template).render(context) };
	} catch (e) {
		return { error: String(e && e.message ? e.message : e) };
	}
});
process.stdout.write(JSON.stringify(results));
