<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="109" />
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="116" />
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="122" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="123" />
        <source>Search conversations (Ctrl+K)</source>
        <translation>搜索对话 (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="132" />
        <source>Conversation list</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="179" />
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="180" />
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="181" />
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="182" />
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="183" />
        <source>Older</source>
        <translation>更早</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="341" />
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="343" />
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="343" />
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="345" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="348" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ConversationsController</name>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="82" />
        <source>&amp;Search Conversations…</source>
        <translation>搜索对话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="86" />
        <source>Show &amp;Sidebar</source>
        <translation>显示侧边栏(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="91" />
        <source>&amp;Rename Conversation</source>
        <translation>重命名对话(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="94" />
        <source>&amp;Delete Conversation</source>
        <translation>删除对话(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="97" />
        <source>Name with the &amp;Model</source>
        <translation>让模型起标题(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="98" />
        <source>Ask the loaded model for a short title</source>
        <translation>让已加载的模型为对话起一个简短的标题</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="101" />
        <source>&amp;Export Conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="105" />
        <source>Export &amp;All Conversations…</source>
        <translation>导出全部对话(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="108" />
        <source>&amp;Import Conversations…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="176" />
        <location filename="../../desktop_app/ui/conversations.py" line="285" />
        <source>%1 — Hearth</source>
        <translation>%1 — Hearth</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="225" />
        <source>Copied.</source>
        <translation>已复制。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="235" />
        <location filename="../../desktop_app/ui/conversations.py" line="270" />
        <source>Please wait until the answer is finished.</source>
        <translation>请等待回答完成。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="247" />
        <source>Only the last answer can be continued.</source>
        <translation>只能继续最后一条回答。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="252" />
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="252" />
        <source>Edit and resend:</source>
        <translation>编辑后重新发送:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="267" />
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="272" />
        <source>Asking the model for a title…</source>
        <translation>正在请模型起标题…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="280" />
        <source>The model could not name the conversation: %1</source>
        <translation>模型无法为对话起标题:%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="286" />
        <source>Named “%1”.</source>
        <translation>已命名为“%1”。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="294" />
        <source>There is no conversation to export.</source>
        <translation>没有可导出的对话。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="298" />
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="300" />
        <source>Markdown (*.md);;JSON (*.json)</source>
        <translation>Markdown (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="319" />
        <source>Export all conversations</source>
        <translation>导出全部对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="321" />
        <source>JSON (*.json);;Markdown (*.md)</source>
        <translation>JSON (*.json);;Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="342" />
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1:%2</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="347" />
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="352" />
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="352" />
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="362" />
        <source>Could not import %1: %2. Nothing was imported.</source>
        <translation>无法导入 %1:%2。没有导入任何内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/conversations.py" line="370" />
        <source>Imported %n conversation(s).</source>
        <translation>
            <numerusform>已导入 %n 个对话。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageActions</name>
    <message>
        <location filename="../../desktop_app/ui/message_actions.py" line="53" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_actions.py" line="55" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_actions.py" line="59" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_actions.py" line="62" />
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_actions.py" line="64" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SearchPopup</name>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="148" />
        <location filename="../../desktop_app/ui/search_popup.py" line="149" />
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="154" />
        <source>Search titles and messages…</source>
        <translation>搜索标题和消息…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="164" />
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="259" />
        <source>Title:</source>
        <translation>标题:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/search_popup.py" line="268" />
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 条结果</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="270" />
        <source>No matches</source>
        <translation>没有匹配项</translation>
    </message>
</context>
<context>
    <name>UndoToast</name>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="56" />
        <source>Deleted conversation</source>
        <translation>已删除的对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="64" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="74" />
        <source>Deleted “%1”</source>
        <translation>已删除“%1”</translation>
    </message>
</context>
</TS>