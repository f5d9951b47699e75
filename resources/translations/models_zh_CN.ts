<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../../desktop_app/ui/model_picker.py" line="41" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/model_picker.py" line="42" />
        <source>Choose the model to chat with</source>
        <translation>选择要对话的模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/model_picker.py" line="98" />
        <source>Choose a model…</source>
        <translation>选择模型…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/model_picker.py" line="102" />
        <source>Manage models…</source>
        <translation>管理模型…</translation>
    </message>
</context>
<context>
    <name>ModelsHookup</name>
    <message>
        <location filename="../../desktop_app/ui/models_hookup.py" line="41" />
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_hookup.py" line="44" />
        <source>Download, import and manage models</source>
        <translation>下载、导入和管理模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_hookup.py" line="55" />
        <location filename="../../desktop_app/ui/models_hookup.py" line="57" />
        <source>Download the recommended model</source>
        <translation>下载推荐模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_hookup.py" line="61" />
        <source>%1 · %2 · licence: %3</source>
        <translation>%1 · %2 · 许可证：%3</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_hookup.py" line="71" />
        <source>Browse models…</source>
        <translation>浏览模型…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_hookup.py" line="73" />
        <source>Browse models</source>
        <translation>浏览模型</translation>
    </message>
</context>
<context>
    <name>ModelsWindow</name>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="78" />
        <location filename="../../desktop_app/ui/models_window.py" line="761" />
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="79" />
        <source>Models — Hearth</source>
        <translation>模型 — Hearth</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="85" />
        <source>Catalog</source>
        <translation>精选目录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="86" />
        <source>Search Hub</source>
        <translation>搜索 Hub</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="87" />
        <location filename="../../desktop_app/ui/models_window.py" line="238" />
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="88" />
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="116" />
        <source>Hand-picked chat models that run on a personal computer. The one marked ★ suits this computer's memory.</source>
        <translation>精选的可在个人电脑上运行的对话模型。标有 ★ 的最适合本机内存。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="127" />
        <location filename="../../desktop_app/ui/models_window.py" line="407" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="128" />
        <location filename="../../desktop_app/ui/models_window.py" line="170" />
        <location filename="../../desktop_app/ui/models_window.py" line="273" />
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="129" />
        <location filename="../../desktop_app/ui/models_window.py" line="530" />
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="130" />
        <location filename="../../desktop_app/ui/models_window.py" line="531" />
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="131" />
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="132" />
        <location filename="../../desktop_app/ui/models_window.py" line="265" />
        <source>Fits?</source>
        <translation>能否运行</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="133" />
        <source>Description</source>
        <translation>简介</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="151" />
        <location filename="../../desktop_app/ui/models_window.py" line="575" />
        <source>%1B</source>
        <translation>%1B</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="167" />
        <source>Model page</source>
        <translation>模型主页</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="187" />
        <location filename="../../desktop_app/ui/models_window.py" line="616" />
        <source>Choose a model in the list first.</source>
        <translation>请先在列表中选择一个模型。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="197" />
        <source>Preparing %1…</source>
        <translation>正在准备 %1…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="214" />
        <source>Search the Hub</source>
        <translation>搜索 Hub</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="215" />
        <source>Search GGUF models on Hugging Face, e.g. qwen</source>
        <translation>在 Hugging Face 上搜索 GGUF 模型，例如 qwen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="220" />
        <source>Sort by</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="221" />
        <source>Most downloaded</source>
        <translation>下载最多</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="222" />
        <source>Most liked</source>
        <translation>点赞最多</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="224" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="238" />
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="238" />
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="245" />
        <source>Choose a repository to see its files.</source>
        <translation>选择一个仓库以查看其文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="248" />
        <source>Context for the estimate:</source>
        <translation>估算所用上下文：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="251" />
        <source>Context for the estimate</source>
        <translation>估算所用上下文</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="262" />
        <location filename="../../desktop_app/ui/models_window.py" line="528" />
        <source>Quant</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="263" />
        <location filename="../../desktop_app/ui/models_window.py" line="527" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="264" />
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="266" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="285" />
        <source>Offline: HF_HUB_OFFLINE is set, so Hearth does not contact the Hugging Face Hub. Installed models keep working.</source>
        <translation>离线：已设置 HF_HUB_OFFLINE，Hearth 不会连接 Hugging Face Hub。已安装的模型仍可正常使用。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="302" />
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="313" />
        <source>Listing the files of %1…</source>
        <translation>正在列出 %1 的文件…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="325" />
        <source>gated: needs a token</source>
        <translation>受限：需要令牌</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="331" />
        <source>%1 repositories found.</source>
        <translation>找到 %1 个仓库。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="333" />
        <source>No GGUF repositories match.</source>
        <translation>没有匹配的 GGUF 仓库。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="341" />
        <source>%1: %2 models</source>
        <translation>%1：%2 个模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="343" />
        <source>%1 has no GGUF model files.</source>
        <translation>%1 中没有 GGUF 模型文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="354" />
        <source>%1 ★ recommended</source>
        <translation>%1 ★ 推荐</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="358" />
        <source>%1 (+%2 more parts)</source>
        <translation>%1（另有 %2 个分片）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="366" />
        <source>~%1</source>
        <translation>约 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="378" />
        <source>Fits</source>
        <translation>可以运行</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="379" />
        <source>Tight</source>
        <translation>勉强</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="380" />
        <source>Too big</source>
        <translation>太大</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="387" />
        <source>Choose a file in the list first.</source>
        <translation>请先在列表中选择一个文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="408" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="409" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="410" />
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="411" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="420" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="422" />
        <location filename="../../desktop_app/ui/models_window.py" line="486" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="424" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="434" />
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="435" />
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="436" />
        <source>Verifying sha256…</source>
        <translation>正在校验 sha256…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="437" />
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="438" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="439" />
        <source>Installed as %1</source>
        <translation>已安装为 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="440" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="486" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="518" />
        <source>Change folder…</source>
        <translation>更改文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="526" />
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="529" />
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="532" />
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="533" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="543" />
        <source>Chat with it</source>
        <translation>用它对话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="544" />
        <source>Import (copy)…</source>
        <translation>导入（复制）…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="545" />
        <source>Import (use in place)…</source>
        <translation>导入（原位使用）…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="546" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="547" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="560" />
        <source>Models folder: %1</source>
        <translation>模型文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="572" />
        <source>(split file)</source>
        <translation>（分片文件）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="577" />
        <source>%1M</source>
        <translation>%1M</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="586" />
        <source>In the file</source>
        <translation>文件内置</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="586" />
        <source>Fallback</source>
        <translation>备用格式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="604" />
        <source>Missing files</source>
        <translation>文件缺失</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="608" />
        <source>%1 models · %2 on disk</source>
        <translation>%1 个模型 · 占用磁盘 %2</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="628" />
        <source>Import a GGUF model</source>
        <translation>导入 GGUF 模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="628" />
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="635" />
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="655" />
        <source>Forget %1? The file stays where it is.</source>
        <translation>要移除 %1 吗？文件本身会保留在原处。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="657" />
        <source>Delete %1 and its files (%2)?</source>
        <translation>要删除 %1 及其文件（%2）吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="661" />
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="670" />
        <source>Choose the models folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="682" />
        <source>Hugging Face token (for gated models):</source>
        <translation>Hugging Face 令牌（用于受限模型）：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="685" />
        <source>Hugging Face token</source>
        <translation>Hugging Face 令牌</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="688" />
        <location filename="../../desktop_app/ui/models_window.py" line="723" />
        <source>A token is stored</source>
        <translation>已保存令牌</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="688" />
        <location filename="../../desktop_app/ui/models_window.py" line="730" />
        <source>hf_…</source>
        <translation>hf_…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="691" />
        <source>Save token</source>
        <translation>保存令牌</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="694" />
        <source>Forget token</source>
        <translation>删除令牌</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models_window.py" line="709" />
        <source>No system keyring is available, so the token is kept for this session only and must be entered again after a restart. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) to keep it.</source>
        <translation>系统密钥环不可用，令牌仅在本次会话中保留，重启后需要重新输入。请安装并解锁密钥环（GNOME Keyring、KWallet、macOS 钥匙串、Windows 凭据管理器）以长期保存。</translation>
    </message>
</context>
</TS>