<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ModelPicker</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Choose the model to chat with</source>
        <translation>选择要对话的模型</translation>
    </message>
    <message>
        <source>Choose a model…</source>
        <translation>选择模型…</translation>
    </message>
    <message>
        <source>Manage models…</source>
        <translation>管理模型…</translation>
    </message>
</context>
<context>
    <name>ModelsHookup</name>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Download, import and manage models</source>
        <translation>下载、导入和管理模型</translation>
    </message>
    <message>
        <source>Download the recommended model</source>
        <translation>下载推荐模型</translation>
    </message>
    <message>
        <source>%1 · %2 · licence: %3</source>
        <translation>%1 · %2 · 许可证：%3</translation>
    </message>
    <message>
        <source>Browse models…</source>
        <translation>浏览模型…</translation>
    </message>
    <message>
        <source>Browse models</source>
        <translation>浏览模型</translation>
    </message>
</context>
<context>
    <name>ModelsWindow</name>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Models — Hearth</source>
        <translation>模型 — Hearth</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>精选目录</translation>
    </message>
    <message>
        <source>Search Hub</source>
        <translation>搜索 Hub</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <source>Hand-picked chat models that run on a personal computer. The one marked ★ suits this computer&apos;s memory.</source>
        <translation>精选的可在个人电脑上运行的对话模型。标有 ★ 的最适合本机内存。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Fits?</source>
        <translation>能否运行</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简介</translation>
    </message>
    <message>
        <source>%1B</source>
        <translation>%1B</translation>
    </message>
    <message>
        <source>Model page</source>
        <translation>模型主页</translation>
    </message>
    <message>
        <source>Choose a model in the list first.</source>
        <translation>请先在列表中选择一个模型。</translation>
    </message>
    <message>
        <source>Preparing %1…</source>
        <translation>正在准备 %1…</translation>
    </message>
    <message>
        <source>Search the Hub</source>
        <translation>搜索 Hub</translation>
    </message>
    <message>
        <source>Search GGUF models on Hugging Face, e.g. qwen</source>
        <translation>在 Hugging Face 上搜索 GGUF 模型，例如 qwen</translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <source>Most downloaded</source>
        <translation>下载最多</translation>
    </message>
    <message>
        <source>Most liked</source>
        <translation>点赞最多</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Choose a repository to see its files.</source>
        <translation>选择一个仓库以查看其文件。</translation>
    </message>
    <message>
        <source>Context for the estimate:</source>
        <translation>估算所用上下文：</translation>
    </message>
    <message>
        <source>Context for the estimate</source>
        <translation>估算所用上下文</translation>
    </message>
    <message>
        <source>Quant</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Offline: HF_HUB_OFFLINE is set, so Hearth does not contact the Hugging Face Hub. Installed models keep working.</source>
        <translation>离线：已设置 HF_HUB_OFFLINE，Hearth 不会连接 Hugging Face Hub。已安装的模型仍可正常使用。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Listing the files of %1…</source>
        <translation>正在列出 %1 的文件…</translation>
    </message>
    <message>
        <source>gated: needs a token</source>
        <translation>受限：需要令牌</translation>
    </message>
    <message>
        <source>%1 repositories found.</source>
        <translation>找到 %1 个仓库。</translation>
    </message>
    <message>
        <source>No GGUF repositories match.</source>
        <translation>没有匹配的 GGUF 仓库。</translation>
    </message>
    <message>
        <source>%1: %2 models</source>
        <translation>%1：%2 个模型</translation>
    </message>
    <message>
        <source>%1 has no GGUF model files.</source>
        <translation>%1 中没有 GGUF 模型文件。</translation>
    </message>
    <message>
        <source>%1 ★ recommended</source>
        <translation>%1 ★ 推荐</translation>
    </message>
    <message>
        <source>%1 (+%2 more parts)</source>
        <translation>%1（另有 %2 个分片）</translation>
    </message>
    <message>
        <source>~%1</source>
        <translation>约 %1</translation>
    </message>
    <message>
        <source>Fits</source>
        <translation>可以运行</translation>
    </message>
    <message>
        <source>Tight</source>
        <translation>勉强</translation>
    </message>
    <message>
        <source>Too big</source>
        <translation>太大</translation>
    </message>
    <message>
        <source>Choose a file in the list first.</source>
        <translation>请先在列表中选择一个文件。</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Verifying sha256…</source>
        <translation>正在校验 sha256…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Installed as %1</source>
        <translation>已安装为 %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Change folder…</source>
        <translation>更改文件夹…</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Chat with it</source>
        <translation>用它对话</translation>
    </message>
    <message>
        <source>Import (copy)…</source>
        <translation>导入（复制）…</translation>
    </message>
    <message>
        <source>Import (use in place)…</source>
        <translation>导入（原位使用）…</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Models folder: %1</source>
        <translation>模型文件夹：%1</translation>
    </message>
    <message>
        <source>(split file)</source>
        <translation>（分片文件）</translation>
    </message>
    <message>
        <source>%1M</source>
        <translation>%1M</translation>
    </message>
    <message>
        <source>In the file</source>
        <translation>文件内置</translation>
    </message>
    <message>
        <source>Fallback</source>
        <translation>备用格式</translation>
    </message>
    <message>
        <source>Missing files</source>
        <translation>文件缺失</translation>
    </message>
    <message>
        <source>%1 models · %2 on disk</source>
        <translation>%1 个模型 · 占用磁盘 %2</translation>
    </message>
    <message>
        <source>Import a GGUF model</source>
        <translation>导入 GGUF 模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Forget %1? The file stays where it is.</source>
        <translation>要移除 %1 吗？文件本身会保留在原处。</translation>
    </message>
    <message>
        <source>Delete %1 and its files (%2)?</source>
        <translation>要删除 %1 及其文件（%2）吗？</translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Choose the models folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Hugging Face token (for gated models):</source>
        <translation>Hugging Face 令牌（用于受限模型）：</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Hugging Face 令牌</translation>
    </message>
    <message>
        <source>A token is stored</source>
        <translation>已保存令牌</translation>
    </message>
    <message>
        <source>hf_…</source>
        <translation>hf_…</translation>
    </message>
    <message>
        <source>Save token</source>
        <translation>保存令牌</translation>
    </message>
    <message>
        <source>Forget token</source>
        <translation>删除令牌</translation>
    </message>
    <message>
        <source>No system keyring is available, so the token is kept for this session only and must be entered again after a restart. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) to keep it.</source>
        <translation>系统密钥环不可用，令牌仅在本次会话中保留，重启后需要重新输入。请安装并解锁密钥环（GNOME Keyring、KWallet、macOS 钥匙串、Windows 凭据管理器）以长期保存。</translation>
    </message>
</context>
</TS>
