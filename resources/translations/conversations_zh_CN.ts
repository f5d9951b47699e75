<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="231" />
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="238" />
        <location filename="../../desktop_app/ui/sidebar.py" line="240" />
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="245" />
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="246" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="247" />
        <source>Search conversations (Ctrl+K)</source>
        <translation>搜索对话 (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="257" />
        <source>Conversation list</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="299" />
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="300" />
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="301" />
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="302" />
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="303" />
        <source>Older</source>
        <translation>更早</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="412" />
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="414" />
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="414" />
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="416" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="419" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ConversationsController</name>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="89" />
        <source>&amp;Search conversations…</source>
        <translation>搜索对话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="93" />
        <source>Show &amp;Sidebar</source>
        <translation>显示侧边栏(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="98" />
        <source>&amp;Rename Conversation</source>
        <translation>重命名对话(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="101" />
        <source>&amp;Delete Conversation</source>
        <translation>删除对话(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="104" />
        <source>Name with the &amp;Model</source>
        <translation>让模型起标题(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="105" />
        <source>Ask the loaded model for a short title</source>
        <translation>让已加载的模型为对话起一个简短的标题</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="108" />
        <source>&amp;Export Conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="112" />
        <source>Export &amp;All Conversations…</source>
        <translation>导出全部对话(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="115" />
        <source>&amp;Import Conversations…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="183" />
        <location filename="../../desktop_app/ui/conversations.py" line="292" />
        <source>%1 — Hearth</source>
        <translation>%1 — Hearth</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="232" />
        <source>Copied.</source>
        <translation>已复制。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="242" />
        <location filename="../../desktop_app/ui/conversations.py" line="277" />
        <source>Please wait until the answer is finished.</source>
        <translation>请等待回答完成。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="254" />
        <source>Only the last answer can be continued.</source>
        <translation>只能继续最后一条回答。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="259" />
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="259" />
        <source>Edit and resend:</source>
        <translation>编辑后重新发送:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="274" />
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="279" />
        <source>Asking the model for a title…</source>
        <translation>正在请模型起标题…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="287" />
        <source>The model could not name the conversation: %1</source>
        <translation>模型无法为对话起标题:%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="293" />
        <source>Named “%1”.</source>
        <translation>已命名为“%1”。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="301" />
        <source>There is no conversation to export.</source>
        <translation>没有可导出的对话。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="305" />
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="307" />
        <source>Markdown (*.md);;JSON (*.json)</source>
        <translation>Markdown (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="326" />
        <source>Export all conversations</source>
        <translation>导出全部对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="328" />
        <source>JSON (*.json);;Markdown (*.md)</source>
        <translation>JSON (*.json);;Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="349" />
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1:%2</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="354" />
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="359" />
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="359" />
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="369" />
        <source>Could not import %1: %2. Nothing was imported.</source>
        <translation>无法导入 %1:%2。没有导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="378" />
        <source>Imported 1 conversation.</source>
        <translation>已导入 1 个对话。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="380" />
        <source>Imported %1 conversations.</source>
        <translation>已导入 %1 个对话。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversations.py" line="392" />
        <source>Conversations</source>
        <translation>对话</translation>
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
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="269" />
        <source>1 result</source>
        <translation>1 条结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="271" />
        <source>%1 results</source>
        <translation>%1 条结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/search_popup.py" line="274" />
        <source>No matches</source>
        <translation>没有匹配项</translation>
    </message>
</context>
<context>
    <name>UndoToast</name>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="87" />
        <source>Deleted conversation</source>
        <translation>已删除的对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="95" />
        <location filename="../../desktop_app/ui/sidebar.py" line="97" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sidebar.py" line="106" />
        <source>Deleted “%1”</source>
        <translation>已删除“%1”</translation>
    </message>
</context>
</TS>