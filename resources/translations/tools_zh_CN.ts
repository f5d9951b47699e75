<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnswerCard</name>
    <message>
        <source>Show JSON</source>
        <translation>显示 JSON</translation>
    </message>
    <message>
        <source>Hide JSON</source>
        <translation>隐藏 JSON</translation>
    </message>
</context>
<context>
    <name>ApprovalPrompt</name>
    <message>
        <source>Allow a tool call?</source>
        <translation>允许调用工具吗？</translation>
    </message>
    <message>
        <source>The model wants to run the tool “%1” with these arguments:</source>
        <translation>模型想用以下参数运行工具“%1”：</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Esc stops the answer.</source>
        <translation>按 Esc 停止回答。</translation>
    </message>
    <message>
        <source>Allow &amp;once</source>
        <translation>允许一次(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Always allow this tool</source>
        <translation>始终允许此工具(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>拒绝(&amp;D)</translation>
    </message>
</context>
<context>
    <name>ChatTools</name>
    <message>
        <source>Calculator</source>
        <translation>计算器</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日期和时间</translation>
    </message>
    <message>
        <source>Search my conversations</source>
        <translation>搜索我的对话</translation>
    </message>
    <message>
        <source>Read an attached file</source>
        <translation>读取附加的文件</translation>
    </message>
    <message>
        <source>Search my documents</source>
        <translation>搜索我的文档</translation>
    </message>
</context>
<context>
    <name>ChatToolsButton</name>
    <message>
        <source>Tools for this chat</source>
        <translation>此对话的工具</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>MCP server: %1</source>
        <translation>MCP 服务器：%1</translation>
    </message>
    <message>
        <source>The tools of the MCP server %1 (started when this chat uses it)</source>
        <translation>MCP 服务器 %1 的工具（此对话使用时才启动）</translation>
    </message>
    <message>
        <source>Tools: off</source>
        <translation>工具：不可用</translation>
    </message>
    <message>
        <source>Tools: %1</source>
        <translation>工具：%1</translation>
    </message>
    <message>
        <source>The model may call these tools; every call asks you first.</source>
        <translation>模型可以调用这些工具；每次调用都会先征求你的同意。</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Let the model call tools in this chat</source>
        <translation>允许模型在此对话中调用工具</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>MCP server</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>a program and its arguments (stdio)</source>
        <translation>程序及其参数（stdio）</translation>
    </message>
    <message>
        <source>or an http(s) URL (streamable HTTP)</source>
        <translation>或 http(s) 网址（可流式 HTTP）</translation>
    </message>
    <message>
        <source>NAME=value, one per line</source>
        <translation>名称=值，每行一个</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>网址</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>The command cannot be read: %1</source>
        <translation>无法读取该命令：%1</translation>
    </message>
</context>
<context>
    <name>ToolSteps</name>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>MCP server</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Arguments: %1</source>
        <translation>参数：%1</translation>
    </message>
    <message>
        <source>Result: %1</source>
        <translation>结果：%1</translation>
    </message>
    <message>
        <source>Click to show or hide the arguments and result</source>
        <translation>点击显示或隐藏参数和结果</translation>
    </message>
</context>
<context>
    <name>Tools</name>
    <message>
        <source>Sentiment: %1</source>
        <translation>情感：%1</translation>
    </message>
    <message>
        <source>%1 % confident</source>
        <translation>置信度 %1%</translation>
    </message>
    <message>
        <source>Structured answer (%1 fields)</source>
        <translation>结构化回答（%1 个字段）</translation>
    </message>
    <message>
        <source>Structured answer</source>
        <translation>结构化回答</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Show Structured &amp;Answer…</source>
        <translation>显示结构化回答(&amp;A)…</translation>
    </message>
    <message>
        <source>Tools are off: the window runs tools with local models only.</source>
        <translation>工具不可用：窗口只为本地模型运行工具。</translation>
    </message>
    <message>
        <source>Tools are off: the chat template of %1 has no tool support.</source>
        <translation>工具不可用：%1 的聊天模板不支持工具。</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Running the tool %1…</source>
        <translation>正在运行工具 %1…</translation>
    </message>
    <message>
        <source>Tool %1: %2</source>
        <translation>工具 %1：%2</translation>
    </message>
    <message>
        <source>This chat has no structured (JSON) answer.</source>
        <translation>此对话没有结构化（JSON）回答。</translation>
    </message>
</context>
<context>
    <name>ToolsDialog</name>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
</context>
<context>
    <name>ToolsSettingsPage</name>
    <message>
        <source>Built-in tools new chats start with</source>
        <translation>新对话默认启用的内置工具</translation>
    </message>
    <message>
        <source>MCP servers (started only while a chat uses them)</source>
        <translation>MCP 服务器（仅在对话使用时启动）</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Every tool call needs your approval (or an earlier “Always allow”). Choose a chat&apos;s tools with the Tools button in its header; an MCP server starts only while a chat&apos;s answer uses it. &apos;hearth chat --tools&apos; and the local API use the same tools.</source>
        <translation>每次调用工具都需要你的同意（或之前选择的“始终允许”）。用对话标题栏中的“工具”按钮选择该对话可用的工具；MCP 服务器只在使用它的对话回答时运行。&apos;hearth chat --tools&apos; 和本地 API 使用相同的工具。</translation>
    </message>
    <message>
        <source>Ask Again for Every Tool</source>
        <translation>每个工具都重新询问</translation>
    </message>
    <message>
        <source>Always allowed without asking: %1</source>
        <translation>无需询问即允许：%1</translation>
    </message>
    <message>
        <source>Every tool call asks you first.</source>
        <translation>每次调用工具都会先询问你。</translation>
    </message>
    <message>
        <source>Remove MCP server</source>
        <translation>移除 MCP 服务器</translation>
    </message>
    <message>
        <source>Remove the MCP server %1?</source>
        <translation>要移除 MCP 服务器 %1 吗？</translation>
    </message>
</context>
</TS>
