"""Renders hf-jinja-e2e-cases.json with Jinja2 itself, set up as transformers sets it up
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, {% generation %},
its tojson, raise_exception, strftime_now at the test's fixed clock), and records, for each case
where Jinja2 and @huggingface/jinja disagree, Jinja2's output as "transformers_expected".
A developer's cross-check (needs `pip install jinja2`); the tests do not run it.
Usage: python3 jinja2_crosscheck.py hf-jinja-e2e-cases.json"""
import datetime, json, sys
import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


class AssistantTracker(Extension):  # transformers' {% generation %}, rendering its body unchanged
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


NOW = datetime.datetime(2025, 7, 10, 12, 0, 0)
env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda f: NOW.strftime(f)

path = sys.argv[1]
data = json.load(open(path, encoding="utf-8"))
for case in data["cases"]:
    case.pop("transformers_expected", None)
    out = env.from_string(case["template"]).render(**case["context"])
    if out != case["expected"]:
        case["transformers_expected"] = out
        print("jinja2 " + jinja2.__version__ + " differs from @huggingface/jinja:", case["name"])
data["transformers_expected"] = ("where present: Jinja2 " + jinja2.__version__
                                 + "'s output with transformers' environment (jinja2_crosscheck.py)")
with open(path, "w", encoding="utf-8") as f:
    f.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
