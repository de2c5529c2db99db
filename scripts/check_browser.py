"""Drives the clerks' page of `edupipe serve` in headless Chromium.

    check_browser.py URL COUNTY_TOKEN PROVINCE_TOKEN FILES_DIR SCREENSHOTS_DIR

Fails (exit 1) when the page does not show what a clerk must see.
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

url, county, province, files, shots = sys.argv[1:6]
checks = []


def check(what, ok, detail=""):
    checks.append((what, ok))
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))


def browser(width, height, phone=False):
    options = webdriver.ChromeOptions()
    if phone:
        # A phone's viewport (a desktop window is never narrower than 500 px).
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}})
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
              "--lang=zh-CN"]:
        options.add_argument(a)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    # The console, to see that the Content-Security-Policy blocks nothing of the page's own.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def sign_in(d, token):
    d.get(url + "/")
    d.find_element(By.ID, "token").send_keys(token)
    d.find_element(By.ID, "signinButton").click()
    WebDriverWait(d, 10).until(EC.visibility_of_element_located((By.ID, "app")))


def upload(d, name):
    d.find_element(By.ID, "files").send_keys(os.path.join(files, name))
    box = WebDriverWait(d, 15).until(lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "#results .file")
                                                     if b.find_element(By.CLASS_NAME, "name").text == name
                                                     and b.find_elements(By.CSS_SELECTOR, ".verdict")), None))
    return box


d = browser(1200, 1500)
try:
    sign_in(d, county)
    check("signed in as the county", "东城区" in d.find_element(By.ID, "who").text, d.find_element(By.ID, "who").text)
    check("Chinese first", d.find_element(By.TAG_NAME, "h1").text == "教育数据报送", d.find_element(By.TAG_NAME, "h1").text)
    good = upload(d, "110101_class_size_2022-autumn_r2.csv")
    verdict = good.find_element(By.CSS_SELECTOR, ".verdict").text
    check("the good file is accepted", verdict == "通过", verdict)
    check("the good file will be in force", "取代第 1 版" in good.text, good.text)
    check("the good file shows no progress left", good.find_element(By.TAG_NAME, "progress").get_attribute("value") == "100")
    bad = upload(d, "110101_after_school_2022-autumn_r2.csv")
    verdict = bad.find_element(By.CSS_SELECTOR, ".verdict").text
    check("the bad file is rejected", verdict == "拒收", verdict)
    first = bad.find_elements(By.CSS_SELECTOR, "table.issues tbody tr")[0].find_elements(By.TAG_NAME, "td")
    cells = [c.text for c in first]
    check("its first error: line 2, participants, E_RULE", cells[:3] == ["2", "participants", "E_RULE"], str(cells))
    check("its first error says what is wrong in Chinese", "participants" in cells[3] and any("\u4e00" <= ch <= "\u9fff" for ch in cells[3]), cells[3])
    check("the bad file keeps revision 1 in force", "不会取代现行的第 1 版" in bad.text, bad.text)
    check("the errors can be downloaded", len(bad.find_elements(By.CSS_SELECTOR, "a.download")) == 1)
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#countyStatus tbody tr"))
    rows = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#countyStatus tbody tr")]
    check("the county's status lists the plan's three datasets", len(rows) == 3, str(rows))
    check("the status shows revision 2 of class_size in force", any("110101_class_size_2022-autumn_r2.csv" in r for r in rows), str(rows))
    d.save_screenshot(os.path.join(shots, "clerk-zh.png"))
    d.find_element(By.ID, "lang").click()
    WebDriverWait(d, 5).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Education data submission")
    check("the language switch turns the page English", d.find_element(By.ID, "lang").text == "中文")
    english = upload(d, "110101_after_school_2022-autumn_r2.csv")
    check("a verdict in English after the switch", english.find_element(By.CSS_SELECTOR, ".verdict").text == "rejected",
          english.text)
    d.save_screenshot(os.path.join(shots, "clerk-en.png"))
finally:
    d.quit()

d = browser(390, 1400, phone=True)
try:
    sign_in(d, county)
    good = upload(d, "110101_class_size_2022-autumn_r2.csv")
    width, inner = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    check("readable on a phone (no sideways scrolling at 390 px)", inner == 390 and width <= inner, f"{width}px in {inner}px")
    d.save_screenshot(os.path.join(shots, "clerk-phone.png"))
finally:
    d.quit()

d = browser(1200, 1100)
try:
    sign_in(d, province)
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#officeStatus tbody tr"))
    rows = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#officeStatus tbody tr")]
    check("the province sees its own reporting table", len(rows) == 3 and all(r.startswith("湖北省") for r in rows), str(rows))
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#countyRows tbody tr"))
    county_rows = d.find_elements(By.CSS_SELECTOR, "#countyRows tbody tr")
    check("and a row for each of its 103 counties", len(county_rows) == 103, str(len(county_rows)))
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#runs a"))
    links = [a.text for a in d.find_elements(By.CSS_SELECTOR, "#runs a")]
    check("the night's report and workbook are offered", "报告" in links and "工作簿" in links, str(links))
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#runs table.flags a.receipt"))
    flagged = d.find_elements(By.CSS_SELECTOR, "#runs table.flags tbody tr")
    first = d.find_elements(By.CSS_SELECTOR, "#runs table.flags a.receipt")[0]
    row = first.find_element(By.XPATH, "./ancestor::tr").text
    check("the night's quality flags are listed, each linked to the county's file",
          len(flagged) > 0 and first.text.startswith(row.split()[1]) if len(row.split()) > 1 else False, row)
    name = first.text
    first.click()
    WebDriverWait(d, 10).until(lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, "#results .file")
                                          if b.find_element(By.CSS_SELECTOR, ".name").text == name
                                          and b.find_element(By.CSS_SELECTOR, ".state").text])
    shown = [b.find_element(By.CSS_SELECTOR, ".state").text for b in d.find_elements(By.CSS_SELECTOR, "#results .file")
             if b.find_element(By.CSS_SELECTOR, ".name").text == name]
    check("a flag's file opens its receipt (or says it has none)", bool(shown) and shown[0] != "", str(shown))
    d.save_screenshot(os.path.join(shots, "office-zh.png"))
    blocked = [e["message"] for e in d.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    check("the page's own script and style run under its Content-Security-Policy", not blocked, str(blocked[:2]))
finally:
    d.quit()

failed = [w for w, ok in checks if not ok]
print(f"{len(checks) - len(failed)} of {len(checks)} checks passed; screenshots in {shots}")
sys.exit(1 if failed else 0)
