<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatSettingsDialog</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="47" />
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="48" />
        <source>Chat settings</source>
        <translation>聊天设置</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="54" />
        <source>The model that is loaded</source>
        <translation>当前加载的模型</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="55" />
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="125" />
        <source>Model for this chat</source>
        <translation>此聊天使用的模型</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="57" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="61" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="65" />
        <source>System prompt for this chat</source>
        <translation>此聊天的系统提示词</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="68" />
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="77" />
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="90" />
        <source>Values marked Default follow Settings → Generation.</source>
        <translation>标为“默认”的值跟随 设置 → 生成。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/chat_settings_dialog.py" line="125" />
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/composer.py" line="28" />
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/composer.py" line="30" />
        <location filename="../work/wt/issue5/desktop_app/ui/composer.py" line="73" />
        <source>Message Hearth… (Enter to send, Shift+Enter for a new line)</source>
        <translation>给 Hearth 发消息…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/composer.py" line="71" />
        <source>Message Hearth… (Ctrl+Enter to send, Enter for a new line)</source>
        <translation>给 Hearth 发消息…（Ctrl+Enter 发送，Enter 换行）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="123" />
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="124" />
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="826" />
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="211" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="238" />
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="358" />
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="266" />
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="342" />
        <source>Loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="365" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="386" />
        <source>Context used</source>
        <translation>已用上下文</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="388" />
        <source>How much of the model's context window this chat's next prompt takes</source>
        <translation>此聊天的下一个提示占用了模型上下文窗口的多少</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="391" />
        <source>Chat settings…</source>
        <translation>聊天设置…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="393" />
        <source>Chat settings</source>
        <translation>聊天设置</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="395" />
        <source>Model, system prompt and sampling for this chat only</source>
        <translation>仅用于此聊天的模型、系统提示词和采样参数</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="420" />
        <source>Context notice</source>
        <translation>上下文提示</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="446" />
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="448" />
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="795" />
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="797" />
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="473" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="474" />
        <source>Cancel loading the model</source>
        <translation>取消加载模型</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="737" />
        <source>Loading the model was cancelled.</source>
        <translation>已取消加载模型。</translation>
    </message>
    <message numerus="yes">
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="775" />
        <source>Older messages were left out so that this chat fits the model's context window (%n message(s) not seen by the model).</source>
        <translation>
            <numerusform>为使此聊天能放入模型的上下文窗口，已省略较早的消息（模型看不到其中 %n 条消息）。</numerusform></translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="870" />
        <source>Open the model again to use the new hardware settings.</source>
        <translation>重新打开模型以使用新的硬件设置。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="884" />
        <source>Some files could not be deleted:
%1</source>
        <translation>有些文件无法删除：
%1</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="888" />
        <source>All your data was deleted. Hearth will now close.</source>
        <translation>你的所有数据已删除。Hearth 现在将关闭。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="889" />
        <source>Delete all my data</source>
        <translation>删除我的所有数据</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/main_window.py" line="967" />
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 词元</translation>
    </message>
</context>
<context>
    <name>PresetBar</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="319" />
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="323" />
        <source>Preset for this chat</source>
        <translation>此聊天的预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="327" />
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="329" />
        <source>Preview, create, import and export presets</source>
        <translation>预览、创建、导入和导出预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="342" />
        <source>Default settings</source>
        <translation>默认设置</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="364" />
        <source>Use this preset</source>
        <translation>使用此预设</translation>
    </message>
</context>
<context>
    <name>PresetEditor</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="51" />
        <source>Edit preset</source>
        <translation>编辑预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="51" />
        <source>New preset</source>
        <translation>新建预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="56" />
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="57" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="60" />
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="62" />
        <source>Instructions</source>
        <translation>指示</translation>
    </message>
</context>
<context>
    <name>PresetPicker</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="101" />
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="102" />
        <source>Choose a preset</source>
        <translation>选择预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="105" />
        <source>Choose how the assistant should behave in this chat.</source>
        <translation>选择助手在此聊天中的行为方式。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="109" />
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="208" />
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="122" />
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="123" />
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="124" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="125" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="126" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="127" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="143" />
        <source>Start chat</source>
        <translation>开始聊天</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="181" />
        <source>%1 (mine)</source>
        <translation>%1（我的）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="196" />
        <source>(no instructions)</source>
        <translation>（无指示）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="230" />
        <source> (copy)</source>
        <translation>（副本）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="261" />
        <source>Delete preset</source>
        <translation>删除预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="262" />
        <source>Delete the preset “%1”?</source>
        <translation>删除预设“%1”？</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="276" />
        <source>Import presets</source>
        <translation>导入预设</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="276" />
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="296" />
        <source>Presets (*.json)</source>
        <translation>预设 (*.json)</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/preset_picker.py" line="296" />
        <source>Export preset</source>
        <translation>导出预设</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="72" />
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="79" />
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="80" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="81" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="86" />
        <source>Enter (Shift+Enter for a new line)</source>
        <translation>Enter（Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="87" />
        <source>Ctrl+Enter (Enter for a new line)</source>
        <translation>Ctrl+Enter（Enter 换行）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="94" />
        <source>Leave out the oldest messages</source>
        <translation>省略最早的消息</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="95" />
        <source>Stop and ask me</source>
        <translation>停止并询问我</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="108" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="109" />
        <source>The language of the window. Takes effect after a restart.</source>
        <translation>界面语言。重启后生效。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="115" />
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="116" />
        <source>Light or dark colours, or follow the system.</source>
        <translation>浅色或深色，或跟随系统。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="121" />
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="122" />
        <source>Font size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="123" />
        <source>Text size in points for the chat; 0 uses the system size.</source>
        <translation>聊天文字的字号（磅）；0 表示使用系统字号。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="129" />
        <source>Send with</source>
        <translation>发送方式</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="130" />
        <source>Which key sends a message.</source>
        <translation>用哪个按键发送消息。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="136" />
        <source>Models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="137" />
        <source>Where downloaded models are kept; empty uses Hearth's folder.</source>
        <translation>下载的模型存放位置；留空则使用 Hearth 自己的文件夹。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="145" />
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="146" />
        <source>Instructions that new chats start with (a preset may replace it).</source>
        <translation>新聊天开始时使用的指示（预设可能会替换它）。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="153" />
        <source>Model's maximum</source>
        <translation>模型最大值</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="154" />
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="155" />
        <source>Tokens the model can see at once; more needs more memory. 0: the model's own.</source>
        <translation>模型一次能看到的词元数；越多需要的内存越多。0：使用模型自身的长度。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="163" />
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="164" />
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="165" />
        <source>Threads used to generate; 0 lets Hearth choose.</source>
        <translation>生成时使用的线程数；0 表示由 Hearth 决定。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="171" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="172" />
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="173" />
        <source>Layers to run on the GPU (-1: all). Fewer layers need less GPU memory.</source>
        <translation>在 GPU 上运行的层数（-1：全部）。层数越少，占用的显存越少。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="181" />
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="182" />
        <source>Prompt tokens processed per step; larger is faster, uses more.</source>
        <translation>每步处理的提示词元数；越大越快，占用内存也越多。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="190" />
        <source>Flash attention</source>
        <translation>Flash Attention</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="191" />
        <source>A faster, leaner attention kernel where the hardware has one.</source>
        <translation>在硬件支持时使用更快、更省内存的注意力计算。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="198" />
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="276" />
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="199" />
        <source>Memory for resuming chats (MB)</source>
        <translation>用于恢复聊天的内存（MB）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="200" />
        <source>Keeps the model's work on recent chats so that going back to one answers at once. 0 turns it off.</source>
        <translation>保留模型在最近聊天上的计算结果，回到这些聊天时可立即回答。0 表示关闭。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="210" />
        <source>Also keep it on disk</source>
        <translation>同时保存到磁盘</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="211" />
        <source>Write it next to your chats too, so that it survives a restart (uses disk).</source>
        <translation>也写到聊天记录旁边，重启后仍然有效（占用磁盘空间）。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="259" />
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="260" />
        <source>Higher is more varied, lower more focused; 0 is greedy.</source>
        <translation>越高越多样，越低越专注；0 为贪心解码。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="268" />
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="269" />
        <source>Sample only from the most likely words that add up to P.</source>
        <translation>只从累计概率达到 P 的最可能的词中采样。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="277" />
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="278" />
        <source>Sample only from the K most likely words; 0 turns it off.</source>
        <translation>只从最可能的 K 个词中采样；0 表示关闭。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="286" />
        <source>Min P</source>
        <translation>Min P</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="287" />
        <source>Drop words less likely than P times the likeliest one.</source>
        <translation>舍弃概率低于最可能词的 P 倍的词。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="293" />
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="294" />
        <source>Above 1 discourages repeating recent words.</source>
        <translation>大于 1 时会抑制重复最近出现过的词。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="300" />
        <source>Maximum answer length</source>
        <translation>最大回答长度</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="301" />
        <source>The longest answer, in tokens.</source>
        <translation>回答的最大长度（词元数）。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="307" />
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="308" />
        <source>A fixed seed repeats answers exactly; random varies them.</source>
        <translation>固定的种子会得到完全相同的回答；随机则每次不同。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="316" />
        <source>When a chat outgrows the context</source>
        <translation>聊天超出上下文时</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/core/settings.py" line="317" />
        <source>Leave out the oldest messages (the system prompt is always kept), or stop and let me decide.</source>
        <translation>省略最早的消息（始终保留系统提示词），或者停止并由我决定。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="101" />
        <source>Random</source>
        <translation>随机</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="211" />
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="212" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="217" />
        <source>Settings pages</source>
        <translation>设置页面</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="223" />
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="224" />
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="225" />
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="226" />
        <source>Privacy</source>
        <translation>隐私</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="318" />
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="327" />
        <source>%1 cores, %2 threads</source>
        <translation>%1 核，%2 线程</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="328" />
        <source>Processor</source>
        <translation>处理器</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="330" />
        <source>Cores</source>
        <translation>核心</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="338" />
        <source>%1 (%2 free)</source>
        <translation>%1（可用 %2）</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="340" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="349" />
        <source>Yes: this build of llama.cpp can run layers on a GPU</source>
        <translation>是：此版本的 llama.cpp 可以在 GPU 上运行模型层</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="351" />
        <source>No: this build of llama.cpp runs on the CPU only</source>
        <translation>否：此版本的 llama.cpp 只能在 CPU 上运行</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="355" />
        <source>GPU offload</source>
        <translation>GPU 卸载</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="362" />
        <source>None found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="365" />
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="366" />
        <source>Use recommended threads and GPU layers</source>
        <translation>使用推荐的线程数和 GPU 层数</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="369" />
        <source>%1 threads, GPU layers: %2</source>
        <translation>%1 个线程，GPU 层数：%2</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="371" />
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="376" />
        <source>Changes here take effect the next time a model is loaded.</source>
        <translation>此处的更改将在下次加载模型时生效。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="391" />
        <source>&lt;h3&gt;Your data stays on this computer&lt;/h3&gt;&lt;p&gt;Hearth runs models on this computer. Your messages, answers, settings and presets are stored only here, and nothing you type is sent anywhere.&lt;/p&gt;&lt;p&gt;Hearth has no telemetry, no analytics and no crash reporting. It only goes online when you ask it to: to search for or download a model, or to use a remote server you set up yourself.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;你的数据只留在这台电脑上&lt;/h3&gt;&lt;p&gt;Hearth 在这台电脑上运行模型。你的消息、回答、设置和预设只保存在本机，你输入的任何内容都不会发送到别处。&lt;/p&gt;&lt;p&gt;Hearth 没有遥测、没有统计分析，也没有崩溃报告。只有在你要求时它才会联网：搜索或下载模型，或者使用你自己设置的远程服务器。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="405" />
        <source>Delete all my data…</source>
        <translation>删除我的所有数据…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="408" />
        <source>Deletes every conversation, your settings and presets, and cached state.</source>
        <translation>删除所有对话、你的设置和预设以及缓存的状态。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="415" />
        <source>Downloaded model files are kept; delete them from the models folder if you wish.</source>
        <translation>已下载的模型文件会保留；如有需要，请自行从模型文件夹中删除。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="428" />
        <source>Delete all your data?</source>
        <translation>删除你的所有数据？</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="430" />
        <source>This deletes every conversation, your settings and presets, and cached state. It cannot be undone.</source>
        <translation>这将删除所有对话、你的设置和预设以及缓存的状态。此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="440" />
        <source>Are you sure?</source>
        <translation>确定吗？</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="441" />
        <source>Really delete everything now? Hearth will close afterwards.</source>
        <translation>真的要现在删除全部内容吗？之后 Hearth 将会关闭。</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="477" />
        <source>Could not save the settings: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
</context>
<context>
    <name>_FolderEdit</name>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="162" />
        <source>Hearth's own folder</source>
        <translation>Hearth 自己的文件夹</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="164" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../work/wt/issue5/desktop_app/ui/settings_dialog.py" line="172" />
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
</TS>