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
        <source>Every tool call needs your approval. Tools run in &apos;hearth chat --tools&apos; and through the local API; chats in this window do not call tools yet.</source>
        <translation>每次调用工具都需要你的批准。工具可在“hearth chat --tools”和本地 API 中使用；此窗口中的对话暂不调用工具。</translation>
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
