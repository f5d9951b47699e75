"""Tools reach the model through its template: natively when the template reads
``tools``, else written into the conversation in the Hermes convention."""

from __future__ import annotations

from desktop_app.core.engine.base import ChatTurn
from desktop_app.core.engine.prompt_format import FORMATS, PromptFormat, render_prompt
from desktop_app.core.tools.calls import ToolCall, ToolSpec
from desktop_app.core.tools.parsing import parse_tool_calls

TOOL = ToolSpec("get_weather", "Weather in a city.", {"type": "object", "properties": {}})
CALL = ToolCall("get_weather", {"city": "Paris"}, id="call_1")
TURNS = [
    ChatTurn("system", "Be brief."),
    ChatTurn("user", "Weather in Paris?"),
    ChatTurn("assistant", "", tool_calls=(CALL,)),
    ChatTurn("tool", "18 C", tool_call_id="call_1", name="get_weather"),
]
NATIVE = PromptFormat(
    "model",
    "{% for t in tools %}[TOOL {{ t.function.name }}]{% endfor %}"
    "{% for m in messages %}<{{ m.role }}>{{ m.content }}"
    "{% for c in m.tool_calls or [] %}(call {{ c.function.name }} "
    "{{ c.function.arguments.city }}){% endfor %}"
    "{% if m.role == 'tool' %}[for {{ m.tool_call_id }}]{% endif %}{% endfor %}",
    (),
    from_model=True,
)


def test_template_that_knows_tools_gets_them_natively() -> None:
    prompt = render_prompt(NATIVE, TURNS, tools=[TOOL])
    assert prompt.startswith("[TOOL get_weather]")
    assert "(call get_weather Paris)" in prompt
    assert "<tool>18 C[for call_1]" in prompt


def test_template_without_tools_gets_the_hermes_convention() -> None:
    prompt = render_prompt(FORMATS["chatml"], TURNS, tools=[TOOL])
    system = prompt.split("<|im_end|>")[0]
    assert system.startswith("<|im_start|>system\nBe brief.\n\n")
    assert '"name": "get_weather"' in system and "<tool_call>" in system
    assistant = prompt.split("<|im_start|>assistant\n")[1].split("<|im_end|>")[0]
    assert parse_tool_calls(assistant, ["get_weather"]).calls[0].arguments == {"city": "Paris"}
    assert "<|im_start|>user\n<tool_response>\n18 C\n</tool_response><|im_end|>" in prompt


def test_without_tools_the_prompt_is_unchanged() -> None:
    turns = [ChatTurn("user", "Hi")]
    assert render_prompt(FORMATS["chatml"], turns) == (
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )
