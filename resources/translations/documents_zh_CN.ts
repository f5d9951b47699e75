<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttachmentsBar</name>
    <message>
        <source>Attach files to the next message</source>
        <translation>为下一条消息附加文件</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>附加文件</translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.pdf *.docx *.html *.htm *.csv *.json *.py);;All files (*)</source>
        <translation>文档 (*.txt *.md *.pdf *.docx *.html *.htm *.csv *.json *.py);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>Chip</name>
    <message>
        <source>%1 · reading…</source>
        <translation>%1 · 读取中…</translation>
    </message>
    <message>
        <source>Remove this file</source>
        <translation>移除此文件</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 tokens</source>
        <translation>%1 · %2 · %3 个词元</translation>
    </message>
    <message>
        <source>%1 · cannot attach</source>
        <translation>%1 · 无法附加</translation>
    </message>
</context>
<context>
    <name>CollectionPicker</name>
    <message>
        <source>Document collections this chat answers from</source>
        <translation>本对话用来回答的文档集</translation>
    </message>
    <message>
        <source>Document collections</source>
        <translation>文档集</translation>
    </message>
    <message>
        <source>Documents (%1)</source>
        <translation>文档（%1）</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>No collections (Settings → Documents)</source>
        <translation>没有文档集（设置 → 文档）</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Looking for an embedding model…</source>
        <translation>正在查找嵌入模型…</translation>
    </message>
    <message>
        <source>Attached: %1</source>
        <translation>附件：%1</translation>
    </message>
    <message>
        <source>Hybrid search: keywords and meaning (%1)</source>
        <translation>混合搜索：关键词和语义（%1）</translation>
    </message>
    <message>
        <source>Keyword search only (the embedding model failed: %1)</source>
        <translation>仅关键词搜索（嵌入模型加载失败：%1）</translation>
    </message>
    <message>
        <source>Keyword search only (no embedding model)</source>
        <translation>仅关键词搜索（没有嵌入模型）</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <source>Add Folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Search: keyword and meaning (%1).</source>
        <translation>检索：关键词与语义（%1）。</translation>
    </message>
    <message>
        <source>Search: keywords only (BM25). Install an embedding model (nomic-embed-text-v1.5 or bge-m3) to search by meaning too.</source>
        <translation>检索：仅关键词（BM25）。安装嵌入模型（nomic-embed-text-v1.5 或 bge-m3）后还可按语义检索。</translation>
    </message>
    <message>
        <source>%1 — %2 files, %3 passages — %4</source>
        <translation>%1 — %2 个文件，%3 个段落 — %4</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>indexing</source>
        <translation>索引中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <source>folder missing</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <source>, %1 failed</source>
        <translation>，%1 个失败</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Add a folder of documents</source>
        <translation>添加文档文件夹</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
</context>
</TS>
