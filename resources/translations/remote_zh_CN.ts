<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EndpointsPage</name>
    <message>
        <source>Endpoints</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Use models served by another machine or service that speaks the OpenAI API (llama.cpp server, vLLM, Ollama, a cloud provider). Your messages are sent to that endpoint.</source>
        <translation>使用由其他计算机或服务提供、兼容 OpenAI API 的模型（llama.cpp server、vLLM、Ollama 或云服务商）。你的消息会发送到该端点。</translation>
    </message>
    <message>
        <source>Saved endpoints</source>
        <translation>已保存的端点</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>e.g. lab</source>
        <translation>例如 lab</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Models on this endpoint</source>
        <translation>此端点上的模型</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <source>No system keyring is available: API keys are kept for this session only and must be entered again after a restart. They are never written to a file.</source>
        <translation>没有可用的系统密钥环：API 密钥仅在本次会话中保留，重启后需要重新输入。密钥绝不会写入文件。</translation>
    </message>
    <message>
        <source>saved (type to replace, clear with a single space)</source>
        <translation>已保存（输入新值可替换，输入一个空格可清除）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Could not save the endpoints: %1</source>
        <translation>无法保存端点：%1</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Remove endpoint</source>
        <translation>删除端点</translation>
    </message>
    <message>
        <source>Remove the endpoint %1 and its saved API key?</source>
        <translation>删除端点 %1 及其保存的 API 密钥？</translation>
    </message>
    <message>
        <source>this endpoint</source>
        <translation>此端点</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Connected. Models available: %1.</source>
        <translation>已连接。可用模型：%1 个。</translation>
    </message>
    <message>
        <source>Connected, but the endpoint offers no models.</source>
        <translation>已连接，但该端点没有提供任何模型。</translation>
    </message>
    <message>
        <source>Save the endpoint to use its models.</source>
        <translation>保存该端点后即可使用其模型。</translation>
    </message>
    <message>
        <source>Save the endpoint first.</source>
        <translation>请先保存端点。</translation>
    </message>
</context>
<context>
    <name>RemoteMenu</name>
    <message>
        <source>%1 (remote: %2)</source>
        <translation>%1（远程：%2）</translation>
    </message>
    <message>
        <source>Remote model on %1: the server applies its own chat format</source>
        <translation>%1 上的远程模型：由服务器套用其自己的对话格式</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>&amp;Endpoints…</source>
        <translation>端点(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Local Server…</source>
        <translation>本地服务器(&amp;L)…</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>Let other programs use the model loaded in this window through the OpenAI API. Their requests wait their turn behind yours. Any address other than 127.0.0.1 needs an API key.</source>
        <translation>让其他程序通过 OpenAI API 使用此窗口中已加载的模型。它们的请求会排在你的请求之后依次处理。绑定 127.0.0.1 以外的地址需要 API 密钥。</translation>
    </message>
    <message>
        <source>Let other programs on this computer use a Hearth model through the OpenAI API. The server runs in its own process with its own copy of the model. Any address other than 127.0.0.1 needs an API key.</source>
        <translation>让本机上的其他程序通过 OpenAI API 使用 Hearth 的模型。服务器在独立进程中运行，并加载自己的一份模型。绑定 127.0.0.1 以外的地址需要 API 密钥。</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>e.g. mybox.local (this computer&apos;s names)</source>
        <translation>例如 mybox.local（本机的名称）</translation>
    </message>
    <message>
        <source>Host names, besides localhost and this computer&apos;s addresses, that requests may be sent to. Others are refused, so web pages cannot reach the server by pointing their own domain at this computer.</source>
        <translation>除 localhost 和本机地址之外，请求可以使用的主机名。其他主机名一律拒绝，这样网页就无法通过把自己的域名指向本机来访问服务器。</translation>
    </message>
    <message>
        <source>none (e.g. http://localhost:3000)</source>
        <translation>无（例如 http://localhost:3000）</translation>
    </message>
    <message>
        <source>Web apps that may call the server from a browser. Requests from any other web page are refused.</source>
        <translation>可以从浏览器调用服务器的网页应用。来自其他任何网页的请求都会被拒绝。</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Allowed host names</source>
        <translation>允许的主机名</translation>
    </message>
    <message>
        <source>Allowed web apps</source>
        <translation>允许的网页应用</translation>
    </message>
    <message>
        <source>path of a .gguf file (default: the last model)</source>
        <translation>.gguf 文件路径（默认：上次使用的模型）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Make a new API key</source>
        <translation>生成新的 API 密钥</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>停止服务器</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>启动服务器</translation>
    </message>
    <message>
        <source>Off.</source>
        <translation>已关闭。</translation>
    </message>
    <message>
        <source>Requests must carry the API key kept in %1.</source>
        <translation>请求必须携带保存在 %1 中的 API 密钥。</translation>
    </message>
    <message>
        <source>Serving the window&apos;s model at %1</source>
        <translation>正在 %1 提供此窗口的模型</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>New API key: %1
Copy it now: it is not shown again. It is kept in %2.</source>
        <translation>新的 API 密钥：%1
请立即复制：它不会再次显示。密钥保存在 %2 中。</translation>
    </message>
    <message>
        <source>Serving %1 at %2</source>
        <translation>正在 %2 提供 %1</translation>
    </message>
    <message>
        <source>The server stopped (exit status %1); see the log below.</source>
        <translation>服务器已停止（退出状态 %1）；请查看下方日志。</translation>
    </message>
    <message>
        <source>The server could not be started.</source>
        <translation>无法启动服务器。</translation>
    </message>
</context>
</TS>
