<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CrashReportDialog</name>
    <message>
        <source>Crash report</source>
        <translation>崩溃报告</translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation>保存在 %1</translation>
    </message>
    <message>
        <source>The report could not be read.</source>
        <translation>无法读取这份报告。</translation>
    </message>
    <message>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <source>Hearth closed unexpectedly the last time. A crash report was saved.</source>
        <translation>Hearth 上次意外关闭，已保存一份崩溃报告。</translation>
    </message>
    <message>
        <source>Show Report</source>
        <translation>查看报告</translation>
    </message>
</context>
<context>
    <name>UncaughtErrors</name>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出了点问题：%1</translation>
    </message>
    <message>
        <source>(details in %1)</source>
        <translation>（详情见 %1）</translation>
    </message>
</context>
</TS>
