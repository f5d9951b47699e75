"""Chat templates a hostile GGUF could carry, grouped by what they try.

``{canary}`` is replaced by a file path that must never come to exist (code ran outside
the sandbox) and ``{secret}`` by a file that must never be read.
"""

from __future__ import annotations

ESCAPES = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "mro-bare": "{{ ''.__class__.__mro__ }}",
    "cycler-globals": "{{ cycler.__init__.__globals__.os.popen('touch {canary}').read() }}",
    "joiner-globals": "{{ joiner.__init__.__globals__['os'].system('touch {canary}') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].popen('touch {canary}') }}",
    "namespace-globals": "{{ namespace.__init__.__globals__.os.system('touch {canary}') }}",
    "template-reference": "{{ self._TemplateReference__context.cycler.__init__.__globals__"
    ".os.system('touch {canary}') }}",
    "attr-filter": "{{ (messages|attr('__class__')).__base__.__subclasses__() }}",
    "format-leak": "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "include": "{% include '{secret}' %}",
    "import": "{% import '{secret}' as secret %}{{ secret }}",
    "mutate": "{{ messages.append({'role': 'x'}) }}",
    "raise-exception": "{{ raise_exception('This template refuses to work') }}",
}

TIME_BOMBS = {
    "nested-range": "{% for a in range(100000) %}{% for b in range(100000) %}"
    "{% endfor %}{% endfor %}",
    "nested-range-with-output": "{% for a in range(100000) %}{% for b in range(100000) %}"
    "{{ '' }}{% endfor %}{% endfor %}",
    "recursive-macro-loop": "{% macro f(n) %}{% for i in range(100000) %}{% if n %}"
    "{{ f(n - 1) }}{% endif %}{% endfor %}{% endmacro %}{{ f(3) }}",
    "string-loop": "{% for a in 'x' * 100000 %}{% for b in 'y' * 100000 %}{% endfor %}{% endfor %}",
}

MEMORY_BOMBS = {
    "multiply": "{{ 'x' * 1000000000 }}",
    "power": "{{ 'x' * 10 ** 10 }}",
    "doubling": "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    "list": "{{ ([0] * 1000000000) | length }}",
    "output-flood": "{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}",
    "center": "{{ 'x' | center(2000000000) }}",
}

SYNTAX_ERRORS = {
    "unclosed-for": "{% for m in messages %}{{ m.content }}",
    "unclosed-expression": "{{ messages[0].content ",
    "unknown-tag": "{% frobnicate %}",
    "bad-endblock": "{% if true %}x{% endfor %}",
}

ALL = {
    **{f"escape:{k}": v for k, v in ESCAPES.items()},
    **{f"time:{k}": v for k, v in TIME_BOMBS.items()},
    **{f"memory:{k}": v for k, v in MEMORY_BOMBS.items()},
    **{f"syntax:{k}": v for k, v in SYNTAX_ERRORS.items()},
}


def fill(template: str, canary: str, secret: str) -> str:
    return template.replace("{canary}", canary).replace("{secret}", secret)
