<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatListModel</name>
    <message>
        <source>stopped</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>length limit</source>
        <translation>达到长度上限</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>TTFT %1</source>
        <translation>首词元 %1</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
</context>
<context>
    <name>ChatShortcuts</name>
    <message>
        <source>Focus the Message Box</source>
        <translation>转到输入框</translation>
    </message>
    <message>
        <source>Copy Last Answer</source>
        <translation>复制最后一条回答</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Last answer copied to the clipboard.</source>
        <translation>已将最后一条回答复制到剪贴板。</translation>
    </message>
    <message>
        <source>There is no answer to copy yet.</source>
        <translation>还没有可复制的回答。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation>跳到最新</translation>
    </message>
    <message>
        <source>Scroll to the end and follow the answer</source>
        <translation>滚动到末尾并跟随回答</translation>
    </message>
    <message>
        <source>Ask anything. Your conversation stays on this computer.</source>
        <translation>尽管提问。你的对话只保存在这台电脑上。</translation>
    </message>
    <message>
        <source>Message actions</source>
        <translation>消息操作</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>复制为 Markdown</translation>
    </message>
    <message>
        <source>Copy as Plain Text</source>
        <translation>复制为纯文本</translation>
    </message>
    <message>
        <source>Message copied to the clipboard.</source>
        <translation>已将消息复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Message Hearth… (Enter to send, Shift+Enter for a new line)</source>
        <translation>给 Hearth 发消息…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Message Hearth… (Ctrl+Enter to send, Enter for a new line)</source>
        <translation>给 Hearth 发消息…（Ctrl+Enter 发送，Enter 换行）</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>Could not load %1: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>The answer could not be completed: %1</source>
        <translation>回答未能完成：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <source>The last model, %1, is no longer there.</source>
        <translation>上次使用的模型 %1 已不存在。</translation>
    </message>
    <message>
        <source>Please wait: a model is already loading.</source>
        <translation>请稍候：已有模型正在加载。</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Load a GGUF model file from this computer</source>
        <translation>从这台电脑加载 GGUF 模型文件</translation>
    </message>
    <message>
        <source>&amp;New Chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Stop Generating</source>
        <translation>停止生成(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;About Hearth</source>
        <translation>关于 Hearth(&amp;A)</translation>
    </message>
    <message>
        <source>Menu bar</source>
        <translation>菜单栏</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Error message</source>
        <translation>错误信息</translation>
    </message>
    <message>
        <source>Dismiss error</source>
        <translation>关闭错误提示</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Welcome to Hearth</source>
        <translation>欢迎使用 Hearth</translation>
    </message>
    <message>
        <source>Open a GGUF model to start chatting. Hearth runs entirely on this computer: nothing you type leaves it.</source>
        <translation>打开一个 GGUF 模型即可开始对话。Hearth 完全在这台电脑上运行：你输入的内容不会离开这台电脑。</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Open a GGUF model…</source>
        <translation>打开 GGUF 模型…</translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation>打开 GGUF 模型</translation>
    </message>
    <message>
        <source>You can also drop a .gguf file on this window.</source>
        <translation>也可以把 .gguf 文件拖到此窗口。</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <source>Chat format</source>
        <translation>对话格式</translation>
    </message>
    <message>
        <source>Context used</source>
        <translation>已用上下文</translation>
    </message>
    <message>
        <source>How much of the model&apos;s context window this chat&apos;s next prompt takes</source>
        <translation>此聊天的下一个提示占用了模型上下文窗口的多少</translation>
    </message>
    <message>
        <source>Chat settings…</source>
        <translation>聊天设置…</translation>
    </message>
    <message>
        <source>Chat settings</source>
        <translation>聊天设置</translation>
    </message>
    <message>
        <source>Model, system prompt and sampling for this chat only</source>
        <translation>仅用于此聊天的模型、系统提示词和采样参数</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Open a GGUF model (Ctrl+O)</source>
        <translation>打开 GGUF 模型（Ctrl+O）</translation>
    </message>
    <message>
        <source>Context notice</source>
        <translation>上下文提示</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel loading the model</source>
        <translation>取消加载模型</translation>
    </message>
    <message>
        <source>Last answer statistics</source>
        <translation>最后一条回答的统计</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation>已加载的模型</translation>
    </message>
    <message>
        <source>Open a GGUF model (Ctrl+O) to continue this conversation.</source>
        <translation>打开 GGUF 模型（Ctrl+O）以继续此对话。</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>Please wait until the model has loaded.</source>
        <translation>请等待模型加载完成。</translation>
    </message>
    <message>
        <source>the built-in %1 format (the model&apos;s own template could not be used: %2)</source>
        <translation>内置的 %1 格式（模型自带的模板无法使用：%2）</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>请先打开模型。</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>About Hearth</source>
        <translation>关于 Hearth</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Hearth %1&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;Hearth %1&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>A private AI assistant. Hearth runs entirely on this computer: your conversations and models stay here.</source>
        <translation>私人 AI 助手。Hearth 完全在这台电脑上运行：你的对话和模型都保存在这里。</translation>
    </message>
    <message>
        <source>Drop one model file at a time.</source>
        <translation>一次只能拖入一个模型文件。</translation>
    </message>
    <message>
        <source>Only GGUF model files (.gguf) can be opened: %1</source>
        <translation>只能打开 GGUF 模型文件（.gguf）：%1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>the model&apos;s own chat template</source>
        <translation>模型自带的对话模板</translation>
    </message>
    <message>
        <source>a plain User/Assistant format (the model has no chat template)</source>
        <translation>简单的 User/Assistant 格式（模型没有对话模板）</translation>
    </message>
    <message>
        <source>the built-in %1 format (the model has no chat template)</source>
        <translation>内置的 %1 格式（模型没有对话模板）</translation>
    </message>
    <message>
        <source>%1 is ready.</source>
        <translation>%1 已就绪。</translation>
    </message>
    <message>
        <source>Chat format: %1 · context %2 tokens</source>
        <translation>对话格式：%1 · 上下文 %2 个词元</translation>
    </message>
    <message>
        <source>Loading the model was cancelled.</source>
        <translation>已取消加载模型。</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>Older messages were left out so that this chat fits the model&apos;s context window. Messages the model did not see: %1.</source>
        <translation>为使此聊天能放入模型的上下文窗口，已省略较早的消息。模型未看到的消息数：%1。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <source>Stop generating (Esc)</source>
        <translation>停止生成（Esc）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>Could not save the settings: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
    <message>
        <source>%1 — Hearth</source>
        <translation>%1 — Hearth</translation>
    </message>
    <message>
        <source>The new language is used after Hearth restarts.</source>
        <translation>新的语言将在 Hearth 重启后生效。</translation>
    </message>
    <message>
        <source>Open the model again to use the new hardware settings.</source>
        <translation>重新打开模型以使用新的硬件设置。</translation>
    </message>
    <message>
        <source>Some files could not be deleted:
%1</source>
        <translation>有些文件无法删除：
%1</translation>
    </message>
    <message>
        <source>All your data was deleted. Hearth will now close.</source>
        <translation>你的所有数据已删除。Hearth 现在将关闭。</translation>
    </message>
    <message>
        <source>Delete all my data</source>
        <translation>删除我的所有数据</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 词元</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Code copied to the clipboard.</source>
        <translation>已将代码复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>MessageDocument</name>
    <message>
        <source>Thoughts</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <source>Thoughts (%1 s)</source>
        <translation>思考过程（%1 秒）</translation>
    </message>
    <message>
        <source>Thoughts (%1 min)</source>
        <translation>思考过程（%1 分钟）</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>图片：%1</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>在消息中换行</translation>
    </message>
    <message>
        <source>Edit the last message (in an empty message box)</source>
        <translation>编辑上一条消息（输入框为空时）</translation>
    </message>
    <message>
        <source>Move to the next control</source>
        <translation>移到下一个控件</translation>
    </message>
    <message>
        <source>The selected message&apos;s menu: copy, edit, continue, regenerate or delete it, switch versions, open its tool steps and sources</source>
        <translation>所选消息的菜单：复制、编辑、继续、重新生成或删除消息，切换版本，打开其工具步骤和来源</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Everything in Hearth works from the keyboard.</source>
        <translation>Hearth 的所有功能都可以用键盘完成。</translation>
    </message>
    <message>
        <source>About keyboard use</source>
        <translation>关于键盘操作</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Hearth cannot start</source>
        <translation>Hearth 无法启动</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
</TS>
