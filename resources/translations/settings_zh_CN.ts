<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatSettingsDialog</name>
    <message>
        <source>Chat settings</source>
        <translation>聊天设置</translation>
    </message>
    <message>
        <source>The model that is loaded</source>
        <translation>当前加载的模型</translation>
    </message>
    <message>
        <source>Model for this chat</source>
        <translation>此聊天使用的模型</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>System prompt for this chat</source>
        <translation>此聊天的系统提示词</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Values marked Default follow Settings → Generation.</source>
        <translation>标为“默认”的值跟随 设置 → 生成。</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>PresetBar</name>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Preset for this chat</source>
        <translation>此聊天的预设</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message>
        <source>Preview, create, import and export presets</source>
        <translation>预览、创建、导入和导出预设</translation>
    </message>
    <message>
        <source>Default settings</source>
        <translation>默认设置</translation>
    </message>
    <message>
        <source>Use this preset</source>
        <translation>使用此预设</translation>
    </message>
</context>
<context>
    <name>PresetEditor</name>
    <message>
        <source>Edit preset</source>
        <translation>编辑预设</translation>
    </message>
    <message>
        <source>New preset</source>
        <translation>新建预设</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>指示</translation>
    </message>
</context>
<context>
    <name>PresetPicker</name>
    <message>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <source>Choose a preset</source>
        <translation>选择预设</translation>
    </message>
    <message>
        <source>Choose how the assistant should behave in this chat.</source>
        <translation>选择助手在此聊天中的行为方式。</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Start chat</source>
        <translation>开始聊天</translation>
    </message>
    <message>
        <source>%1 (mine)</source>
        <translation>%1（我的）</translation>
    </message>
    <message>
        <source>(no instructions)</source>
        <translation>（无指示）</translation>
    </message>
    <message>
        <source> (copy)</source>
        <translation>（副本）</translation>
    </message>
    <message>
        <source>Delete preset</source>
        <translation>删除预设</translation>
    </message>
    <message>
        <source>Delete the preset “%1”?</source>
        <translation>删除预设“%1”？</translation>
    </message>
    <message>
        <source>Import presets</source>
        <translation>导入预设</translation>
    </message>
    <message>
        <source>Presets (*.json)</source>
        <translation>预设 (*.json)</translation>
    </message>
    <message>
        <source>Export preset</source>
        <translation>导出预设</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Enter (Shift+Enter for a new line)</source>
        <translation>Enter（Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter for a new line)</source>
        <translation>Ctrl+Enter（Enter 换行）</translation>
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation>省略最早的消息</translation>
    </message>
    <message>
        <source>Stop and ask me</source>
        <translation>停止并询问我</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language of the window. Takes effect after a restart.</source>
        <translation>界面语言。重启后生效。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Light or dark colours, or follow the system.</source>
        <translation>浅色或深色，或跟随系统。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <source>Text size in points for the chat; 0 uses the system size.</source>
        <translation>聊天文字的字号（磅）；0 表示使用系统字号。</translation>
    </message>
    <message>
        <source>Send with</source>
        <translation>发送方式</translation>
    </message>
    <message>
        <source>Which key sends a message.</source>
        <translation>用哪个按键发送消息。</translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Where downloaded models are kept; empty uses Hearth&apos;s folder.</source>
        <translation>下载的模型存放位置；留空则使用 Hearth 自己的文件夹。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Instructions that new chats start with (a preset may replace it).</source>
        <translation>新聊天开始时使用的指示（预设可能会替换它）。</translation>
    </message>
    <message>
        <source>Model&apos;s maximum</source>
        <translation>模型最大值</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Tokens the model can see at once; more needs more memory. 0: the model&apos;s own.</source>
        <translation>模型一次能看到的词元数；越多需要的内存越多。0：使用模型自身的长度。</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>Threads used to generate; 0 lets Hearth choose.</source>
        <translation>生成时使用的线程数；0 表示由 Hearth 决定。</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Layers to run on the GPU. Automatic: as many as fit in its free memory; 0: CPU only.</source>
        <translation>在 GPU 上运行的层数。自动：按其空闲显存能容纳的最多层数；0：仅用 CPU。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Prompt tokens processed per step; larger is faster, uses more.</source>
        <translation>每步处理的提示词元数；越大越快，占用内存也越多。</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash Attention</translation>
    </message>
    <message>
        <source>A faster, leaner attention kernel where the hardware has one.</source>
        <translation>在硬件支持时使用更快、更省内存的注意力计算。</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Memory for resuming chats (MB)</source>
        <translation>用于恢复聊天的内存（MB）</translation>
    </message>
    <message>
        <source>Keeps the model&apos;s work on recent chats so that going back to one answers at once. 0 turns it off.</source>
        <translation>保留模型在最近聊天上的计算结果，回到这些聊天时可立即回答。0 表示关闭。</translation>
    </message>
    <message>
        <source>Also keep it on disk</source>
        <translation>同时保存到磁盘</translation>
    </message>
    <message>
        <source>Write it next to your chats too, so that it survives a restart (uses disk).</source>
        <translation>也写到聊天记录旁边，重启后仍然有效（占用磁盘空间）。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Higher is more varied, lower more focused; 0 is greedy.</source>
        <translation>越高越多样，越低越专注；0 为贪心解码。</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Sample only from the most likely words that add up to P.</source>
        <translation>只从累计概率达到 P 的最可能的词中采样。</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <source>Sample only from the K most likely words; 0 turns it off.</source>
        <translation>只从最可能的 K 个词中采样；0 表示关闭。</translation>
    </message>
    <message>
        <source>Min P</source>
        <translation>Min P</translation>
    </message>
    <message>
        <source>Drop words less likely than P times the likeliest one.</source>
        <translation>舍弃概率低于最可能词的 P 倍的词。</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Above 1 discourages repeating recent words.</source>
        <translation>大于 1 时会抑制重复最近出现过的词。</translation>
    </message>
    <message>
        <source>Maximum answer length</source>
        <translation>最大回答长度</translation>
    </message>
    <message>
        <source>The longest answer, in tokens.</source>
        <translation>回答的最大长度（词元数）。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>A fixed seed repeats answers exactly; random varies them.</source>
        <translation>固定的种子会得到完全相同的回答；随机则每次不同。</translation>
    </message>
    <message>
        <source>When a chat outgrows the context</source>
        <translation>聊天超出上下文时</translation>
    </message>
    <message>
        <source>Leave out the oldest messages (the system prompt is always kept), or stop and let me decide.</source>
        <translation>省略最早的消息（始终保留系统提示词），或者停止并由我决定。</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>设置页面</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>隐私</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>%1 cores, %2 threads</source>
        <translation>%1 核，%2 线程</translation>
    </message>
    <message>
        <source>Processor</source>
        <translation>处理器</translation>
    </message>
    <message>
        <source>Cores</source>
        <translation>核心</translation>
    </message>
    <message>
        <source>%1 (%2 free)</source>
        <translation>%1（可用 %2）</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Yes: this build of llama.cpp can run layers on a GPU</source>
        <translation>是：此版本的 llama.cpp 可以在 GPU 上运行模型层</translation>
    </message>
    <message>
        <source>No: this build of llama.cpp runs on the CPU only</source>
        <translation>否：此版本的 llama.cpp 只能在 CPU 上运行</translation>
    </message>
    <message>
        <source>GPU offload</source>
        <translation>GPU 卸载</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>llama.cpp backends</source>
        <translation>llama.cpp 后端</translation>
    </message>
    <message>
        <source>%1 free of %2</source>
        <translation>%2 中空闲 %1</translation>
    </message>
    <message>
        <source>None found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation>已加载的模型</translation>
    </message>
    <message>
        <source>Use recommended threads and GPU layers</source>
        <translation>使用推荐的线程数和 GPU 层数</translation>
    </message>
    <message>
        <source>%1 threads, GPU layers: %2</source>
        <translation>%1 个线程，GPU 层数：%2</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Changes here take effect the next time a model is loaded.</source>
        <translation>此处的更改将在下次加载模型时生效。</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Your data stays on this computer&lt;/h3&gt;&lt;p&gt;Hearth runs models on this computer. Your messages, answers, settings and presets are stored only here, and nothing you type is sent anywhere.&lt;/p&gt;&lt;p&gt;Hearth has no telemetry, no analytics and no crash reporting. It only goes online when you ask it to: to search for or download a model, or to use a remote server you set up yourself.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;你的数据只留在这台电脑上&lt;/h3&gt;&lt;p&gt;Hearth 在这台电脑上运行模型。你的消息、回答、设置和预设只保存在本机，你输入的任何内容都不会发送到别处。&lt;/p&gt;&lt;p&gt;Hearth 没有遥测、没有统计分析，也没有崩溃报告。只有在你要求时它才会联网：搜索或下载模型，或者使用你自己设置的远程服务器。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Delete all my data…</source>
        <translation>删除我的所有数据…</translation>
    </message>
    <message>
        <source>Deletes every conversation, your settings and presets, and cached state.</source>
        <translation>删除所有对话、你的设置和预设以及缓存的状态。</translation>
    </message>
    <message>
        <source>Downloaded model files are kept; delete them from the models folder if you wish.</source>
        <translation>已下载的模型文件会保留；如有需要，请自行从模型文件夹中删除。</translation>
    </message>
    <message>
        <source>Delete all your data?</source>
        <translation>删除你的所有数据？</translation>
    </message>
    <message>
        <source>This deletes every conversation, your settings and presets, and cached state. It cannot be undone.</source>
        <translation>这将删除所有对话、你的设置和预设以及缓存的状态。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Are you sure?</source>
        <translation>确定吗？</translation>
    </message>
    <message>
        <source>Really delete everything now? Hearth will close afterwards.</source>
        <translation>真的要现在删除全部内容吗？之后 Hearth 将会关闭。</translation>
    </message>
    <message>
        <source>Could not save the settings: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
</context>
<context>
    <name>_FolderEdit</name>
    <message>
        <source>Hearth&apos;s own folder</source>
        <translation>Hearth 自己的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
</TS>
