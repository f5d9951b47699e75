"""A small retrieval evaluation set, written for Hearth (English and Chinese).

Each item is a passage (saved as its own file) and a question whose answer is in it.
The questions mostly use other words than the passage, as people do, so that keyword
search is not handed the answer.
"""

from __future__ import annotations

EVAL_SET: list[tuple[str, str, str]] = [
    # (file name, passage, question)
    (
        "lighthouse.txt",
        "The lighthouse on Gull Point was built in 1871 from granite blocks quarried on "
        "the island itself. Its lamp burned whale oil until 1890, when kerosene replaced it.",
        "What fuel did the Gull Point lamp use before kerosene?",
    ),
    (
        "sourdough.txt",
        "A sourdough starter needs feeding twice a day at room temperature: discard half, "
        "then add equal weights of flour and water. Kept in the fridge, once a week is enough.",
        "How often should I feed my sourdough starter if it lives in the refrigerator?",
    ),
    (
        "tides.txt",
        "Spring tides happen near new and full moon, when the sun and the moon pull in a "
        "line; neap tides, with the smallest range, come at the quarter moons.",
        "When do neap tides occur?",
    ),
    (
        "bicycle.txt",
        "To fix a puncture, remove the wheel, lever one side of the tyre off the rim, find "
        "the hole by pumping the tube and listening, then roughen the area and apply a patch.",
        "How do I find the hole in a bike inner tube?",
    ),
    (
        "bees.txt",
        "Worker honeybees communicate the direction of flowers with the waggle dance; the "
        "angle of the run relative to vertical matches the angle between the food and the sun.",
        "How do honeybees tell each other where the flowers are?",
    ),
    (
        "backup.txt",
        "The 3-2-1 backup rule: keep three copies of your data, on two different kinds of "
        "storage, with one copy kept off site, for example with a relative or in the cloud.",
        "How many backup copies should be stored away from home?",
    ),
    (
        "volcano.txt",
        "Mauna Loa on Hawaii is the largest active volcano on Earth by volume; its gentle "
        "slopes come from very fluid basalt lava that spreads far before it cools.",
        "Which volcano is the biggest active one by volume?",
    ),
    (
        "tea.txt",
        "Green tea is best brewed with water at about 80 degrees Celsius for two minutes; "
        "boiling water scorches the leaves and makes the cup bitter.",
        "What water temperature is right for green tea?",
    ),
    (
        "invoice.txt",
        "Invoices must be paid within thirty days of the issue date. Late payments incur a "
        "fee of two percent per month on the outstanding amount.",
        "What is the penalty for paying an invoice late?",
    ),
    (
        "passport.txt",
        "An adult passport renewal takes about six weeks by post. You need the old passport, "
        "two identical photos taken in the last month and the completed form.",
        "What documents do I need to renew my passport?",
    ),
    (
        "changcheng.txt",
        "长城是中国古代修建的军事防御工程，东起河北的山海关，西至甘肃的嘉峪关，"
        "历代修筑总长度超过两万公里。",
        "长城的东端在哪里？",
    ),
    (
        "tea_zh.txt",
        "龙井茶产于浙江杭州西湖一带，属于绿茶，以色绿、香郁、味甘、形美著称，"
        "清明节前采摘的明前茶最为珍贵。",
        "龙井茶产自哪个城市？",
    ),
    (
        "panda.txt",
        "大熊猫主要生活在四川、陕西和甘肃的山区竹林中，每天要花十几个小时进食，"
        "竹子占其食物的百分之九十九。",
        "大熊猫平时吃什么？",
    ),
    (
        "dumplings.txt",
        "在中国北方，春节除夕夜家家户户包饺子，饺子形似元宝，寓意新的一年招财进宝。",
        "北方人过年为什么要吃饺子？",
    ),
    (
        "subway.txt",
        "北京地铁首班车一般在早上五点左右发车，末班车大约在晚上十一点，"
        "具体时间以各站公布的时刻表为准。",
        "北京地铁的末班车是几点？",
    ),
    (
        "yangtze.txt",
        "长江全长约六千三百公里，是中国第一长河，发源于青藏高原的唐古拉山脉，最终在上海注入东海。",
        "长江最后流入哪个海？",
    ),
    (
        "calligraphy.txt",
        "练习毛笔书法，初学者通常从楷书入手，先练基本笔画，如横、竖、撇、捺，再临摹名家字帖。",
        "学习书法应该先练哪种字体？",
    ),
    (
        "mooncake.txt",
        "中秋节在农历八月十五，人们赏月、吃月饼，象征家人团圆。广式月饼以莲蓉和蛋黄馅最为常见。",
        "中秋节是哪一天？",
    ),
]

DISTRACTORS: list[str] = [
    "The quarterly report shows that sales rose in the northern region while costs stayed flat.",
    "Our team meeting moved to Thursday afternoon; bring the slides for the product review.",
    "The recipe calls for two cups of flour, one egg, a pinch of salt and warm milk.",
    "Granite is an igneous rock made mostly of quartz and feldspar.",
    "The museum opens at nine and closes at five, except on public holidays.",
    "今天的天气晴朗，最高气温二十五度，适合外出散步。",
    "公司年会将在下个月举行，请各部门提前准备节目。",
    "这本小说讲述了一个少年在海边小镇成长的故事。",
    "上海是中国的经济中心之一，拥有繁忙的港口。",
    "学习外语最重要的是坚持每天练习听和说。",
]
