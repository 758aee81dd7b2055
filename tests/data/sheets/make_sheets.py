"""Write the sample workbooks the import tests read (run once; the outputs are committed).

    python tests/data/sheets/make_sheets.py

* ``port_cities_mixed.xlsx`` / ``.ods``: the rows of ``port_cities_mixed.csv`` (written
  by hand), so the same traps are read from all three formats;
* ``parks_zh.xlsx``: ten alliance parks named in Chinese, as a staff member would
  keep them: some with a city to geocode, one with cited coordinates, one
  duplicate, one bad confidence value. Dates are real Excel dates;
* ``measures_zh.xlsx``: measures of the 2024 Opinions in Chinese, English where known.

Facts, URLs and dates come from the research notes (/work/shared/research); rows
named 示例 (example) are test fixtures, not facts. Coordinates are cited (the
GeoNames point of Jiaozhou, 1806096), never invented.
"""

import datetime as dt
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

GSEI = "https://www.gsei.com.cn/html/1659/2023-06-20/content-434718.html"
STDAILY = "https://www.stdaily.com/web/gdxw/2025-07/19/content_372711.html"
SQZ = "http://www.sqzimxl.cn/p/530713.html"
SCODA_7962 = "http://sh.scoda.com/news13/shownews.php?id=7962"
EXAMPLE_NOTE = "测试示例，并非事实 (test fixture, not a fact)"

PARKS = [
    # 名称, 国家, 城市, 纬度, 经度, 来源, 链接, 日期, 可信度, 状态, 备注
    ("兰州新区综合保税区", "中国", "兰州", None, None, "兰州新区综保区加入中国—上合组织产业园区联盟", GSEI,
     dt.date(2023, 6, 20), "有文件记载", "founding member of the China-SCO Industrial Park Alliance (launched 2023-06-15)", None),
    ("中白工业园", "白俄罗斯", "明斯克", None, None, "17家中外园区发布产业园区协同发展倡议", STDAILY,
     dt.date(2025, 7, 19), "有文件记载", "member of the China-SCO Industrial Park Alliance; mutual liaison offices with SCODA", None),
    ("纳伦自由经济区", "吉尔吉斯斯坦", "Нарын", None, None, "产业园区联盟工作会议 (reprint)", SQZ,
     dt.date(2025, 7, 18), "有报道", "took part in the alliance working meeting of 2025-07-18; membership not stated", None),
    ("杨凌农业高新技术产业示范区", "中国", "Yangling", None, None, "产业园区联盟工作会议 (reprint)", SQZ,
     dt.date(2025, 7, 18), "有报道", "took part in the alliance working meeting of 2025-07-18; membership not stated", None),
    ("鹏盛工业园", "乌兹别克斯坦", None, None, None, "sh.scoda.com item on Uzbek park partners", SCODA_7962,
     dt.date(2022, 11, 30), "推断", None, None),
    ("吉扎克自由经济区", "乌兹别克斯坦", "吉扎克", None, None, "sh.scoda.com item on Uzbek park partners", SCODA_7962,
     dt.date(2022, 11, 30), "推断", "memorandum of friendly cooperation with SCODA; alliance membership not confirmed", None),
    ("示例园区（凭祥）", "中国", "Pingxiang", None, None, "示例来源", "https://example.org/scoda-import-test",
     dt.date(2026, 1, 1), "推断", "示例", EXAMPLE_NOTE),
    ("示例园区（胶州）", "中国", None, 36.28389, 120.00333, "GeoNames 1806096 (Jiaozhou)", "https://www.geonames.org/1806096",
     dt.date(2026, 1, 1), "推断", "示例", EXAMPLE_NOTE + "; 坐标为胶州市的GeoNames点 (the GeoNames point of Jiaozhou)"),
    ("兰州新区综合保税区", "中国", "兰州", None, None, "兰州新区综保区加入中国—上合组织产业园区联盟", GSEI,
     dt.date(2023, 6, 20), "有文件记载", None, "重复的一行 (a duplicate row)"),
    ("示例园区（青岛）", "中国", "青岛", None, None, "示例来源", "https://example.org/scoda-import-test",
     dt.date(2026, 1, 1), "高", "示例", EXAMPLE_NOTE + "; 可信度写错 (bad confidence)"),
]
PARK_COLUMNS = ["名称", "国家", "城市", "纬度", "经度", "来源", "链接", "日期", "可信度", "状态", "备注"]

COMMERCE = "http://commerce.shandong.gov.cn/art/2024/1/22/art_106476_10336127.html?xxgkhide=1"
SCODA_10498 = "http://sh.scoda.com/news10/shownews.php?id=10498"
MEASURES = [
    # 文件, 序号, 标题, 英文标题, 俄文标题, 原文, 文本状态, 责任单位, 来源, 链接, 日期, 可信度, 备注
    ("opinions_2024", 1, "畅通多式联运通道", "Smooth multimodal transport corridors", None,
     "1.畅通多式联运通道。推动中欧班列提质增效,加密面向上合组织国家的图定线路、班列计划…助推联合申建国家中欧班列集结中心。"
     "放大海铁联运优势,加强胶黄铁路班列扶持政策,培育'上合快线''日韩陆海快线'班列品牌,建…",
     "部分", None, "山东省人民政府关于支持中国—上海合作组织地方经贸合作示范区高质量发展的意见", COMMERCE,
     dt.date(2024, 1, 22), "有文件记载", "The text after '建…' is not known."),
    ("opinions_2024", None, None, "Joint high-quality development fund for SCODA", None,
     "encouraging Qingdao and SCODA to jointly establish a high-quality development fund for SCODA, giving play to the "
     "role of the provincial fund for shifting driving forces, and supporting the construction of key projects",
     "转述", None, "Clear Signal of Support in 2024! (companion article)", SCODA_10498, dt.date(2024, 3, 17), "有报道",
     "Official SCODA English paraphrase; the Chinese text was not seen."),
    ("opinions_2024", 2, "示例措施（测试）", None, "Пример меры (тест)", None, "未公开", "示例单位",
     "示例来源", "https://example.org/scoda-import-test", dt.date(2026, 1, 1), "推断", EXAMPLE_NOTE),
    ("no_such_document", 3, "示例措施（文件不存在）", None, None, None, "未公开", None,
     "示例来源", "https://example.org/scoda-import-test", dt.date(2026, 1, 1), "推断", EXAMPLE_NOTE),
    ("opinions_2024", 1, "畅通多式联运通道", None, None, None, None, None,
     "示例来源", "https://example.org/scoda-import-test", dt.date(2026, 1, 1), "推断", "重复的一行 (a duplicate row)"),
]
MEASURE_COLUMNS = ["文件", "序号", "标题", "英文标题", "俄文标题", "原文", "文本状态", "责任单位", "来源", "链接", "日期", "可信度", "备注"]


def main() -> None:
    mixed = pd.read_csv(HERE / "port_cities_mixed.csv", dtype=str, keep_default_na=False)
    for column in ("lat", "долгота", "expected_lat", "expected_lon", "geonameid"):  # numbers as numbers
        mixed[column] = [float(v) if v.replace(".", "", 1).isdigit() else (v or None) for v in mixed[column]]
    mixed = mixed.replace("", None)
    mixed.to_excel(HERE / "port_cities_mixed.xlsx", index=False, engine="openpyxl")
    mixed.to_excel(HERE / "port_cities_mixed.ods", index=False, engine="odf")
    pd.DataFrame(PARKS, columns=PARK_COLUMNS).to_excel(HERE / "parks_zh.xlsx", index=False, engine="openpyxl")
    pd.DataFrame(MEASURES, columns=MEASURE_COLUMNS).to_excel(HERE / "measures_zh.xlsx", index=False, engine="openpyxl")
    print("wrote", ", ".join(sorted(p.name for p in HERE.glob("*.xlsx")) + sorted(p.name for p in HERE.glob("*.ods"))))


if __name__ == "__main__":
    main()
