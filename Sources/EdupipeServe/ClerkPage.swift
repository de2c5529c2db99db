/// The page a county clerk opens: sign in with the token, drop files, see
/// each file's progress, verdict, errors and what acceptance will do, the
/// county's reporting status, the format guide and the empty templates;
/// for an office, its counties' reporting table and the night's report and
/// workbook. One file, served by the binary: no CDN, no build step, works
/// offline; Chinese first, English one click away; readable on a phone.
enum ClerkPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>教育数据报送 · edupipe</title>
<style>
:root { --ink:#1d2733; --muted:#5b6673; --line:#d8dee6; --ok:#1f7a3a; --bad:#b42318; --warn:#9a6700; --accent:#1f5fbf; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif; color:var(--ink); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:.7rem 1rem; display:flex; gap:1rem; align-items:center; flex-wrap:wrap; }
header h1 { font-size:1.15rem; margin:0; flex:1 1 auto; }
header .who { color:var(--muted); font-size:.9rem; }
button, .button { font:inherit; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:6px; padding:.4rem .9rem; cursor:pointer; text-decoration:none; display:inline-block; }
button.plain, .button.plain { background:#fff; color:var(--accent); }
main { max-width:980px; margin:0 auto; padding:1rem; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; }
section h2 { font-size:1.05rem; margin:0 0 .6rem; }
section h3 { font-size:.95rem; margin:1rem 0 .4rem; }
input[type=password], input[type=text], select { font:inherit; padding:.4rem .5rem; border:1px solid var(--line); border-radius:6px; width:100%; max-width:32rem; }
label { display:block; margin:.3rem 0; }
#drop { border:2px dashed var(--line); border-radius:8px; padding:1.6rem 1rem; text-align:center; color:var(--muted); }
#drop.over { border-color:var(--accent); background:#eef4fd; }
.file { border-top:1px solid var(--line); padding:.7rem 0; }
.file:first-child { border-top:none; }
.file .name { font-weight:600; word-break:break-all; }
progress { width:100%; height:.6rem; }
.verdict { font-weight:600; }
.quality { border-left:3px solid #c98a00; padding-left:8px; margin:6px 0; }
.quality ul { margin:4px 0; padding-left:18px; }
.verdict.accepted { color:var(--ok); }
.verdict.rejected { color:var(--bad); }
.standing { color:var(--muted); }
table { border-collapse:collapse; width:100%; font-size:.9rem; }
th, td { border-bottom:1px solid var(--line); padding:.3rem .4rem; text-align:left; vertical-align:top; }
th { background:#f0f3f6; }
.scroll { overflow-x:auto; }
.late { color:var(--warn); }
.missing { color:var(--bad); }
.error { color:var(--bad); }
.hidden { display:none; }
.links a { margin-right:1rem; }
@media (max-width: 600px) { body { font-size:14px; } main { padding:.5rem; } section { padding:.7rem; } th, td { padding:.25rem; } }
</style>
</head>
<body>
<header>
  <h1 data-t="title">教育数据报送</h1>
  <span class="who" id="who"></span>
  <button class="plain" id="lang" type="button">English</button>
  <button class="plain hidden" id="signout" type="button" data-t="signout">退出</button>
</header>
<main>
<section id="signin">
  <h2 data-t="signin">登录</h2>
  <p data-t="signinHelp">请输入省级（或市级）数据管理员发给本县的令牌。令牌只保存在本浏览器标签页中，关闭后需重新输入。</p>
  <form id="signinForm">
    <label><span data-t="token">令牌</span> <input type="password" id="token" autocomplete="off" spellcheck="false"></label>
    <button type="submit" id="signinButton" data-t="signinButton">登录</button>
    <span class="error" id="signinError"></span>
  </form>
</section>

<div id="app" class="hidden">
<section>
  <h2 data-t="upload">上传文件</h2>
  <div id="drop">
    <p data-t="dropHelp">把文件拖到这里，或</p>
    <input type="file" id="files" multiple accept=".csv,.xml,.gz">
    <p><label><input type="checkbox" id="dryRun"> <span data-t="dryRun">只检查，不提交（试传）</span></label></p>
  </div>
  <div id="results"></div>
</section>

<section>
  <h2 data-t="status">报送情况</h2>
  <label><span data-t="period">学期</span> <select id="period"></select></label>
  <div class="scroll" id="status"></div>
  <div class="scroll" id="countyTable"></div>
</section>

<section id="office" class="hidden">
  <h2 data-t="night">最近一次汇总</h2>
  <div id="runs"></div>
</section>

<section>
  <h2 data-t="help">格式说明与空白模板</h2>
  <p class="links"><a href="/guide/zh" id="guideLink" target="_blank" data-t="guide">数据格式说明</a></p>
  <p class="links" id="templates"></p>
</section>
</div>
</main>
<script>
"use strict";
const T = {
  zh: { title:"教育数据报送", signout:"退出", signin:"登录", signinHelp:"请输入省级（或市级）数据管理员发给本县的令牌。令牌只保存在本浏览器标签页中，关闭后需重新输入。",
        token:"令牌", signinButton:"登录", badToken:"令牌无效或已被吊销", upload:"上传文件", dropHelp:"把文件拖到这里，或", dryRun:"只检查，不提交（试传）",
        status:"报送情况", period:"学期", night:"最近一次汇总", help:"格式说明与空白模板", guide:"数据格式说明", accepted:"通过", rejected:"拒收",
        records:"条记录", errors:"个错误", quality:"数据质量核查（文件已接收，但请核实）：",
        noFlags:"本期没有需要核实的数据", noReceipt:"没有这个文件的回执", check:"核查", subject:"对象", value:"数值", reference:"参照", flag:"方向",
        over_time:"与上期相比", outlier:"与本省各县相比", related:"与相关报送相比", high:"偏高", low:"偏低", line:"行", column:"列", code:"代码", message:"说明", download:"下载错误清单（CSV）", uploading:"上传中…",
        checking:"检查中…", failed:"上传失败", stored:"已保存", notStored:"未保存（试传）", county:"县", dataset:"数据集", file:"现行文件",
        arrived:"收到时间", late:"逾期", onTime:"按时", missing:"未报送", province:"省", expected:"应报", reporting:"已报", noRun:"尚无汇总结果",
        report:"报告", workbook:"工作簿", template:"模板", counties:"各县报送明细", more:"还有 {n} 条，请下载完整清单", switchTo:"English", unitNational:"全国" },
  en: { title:"Education data submission", signout:"Sign out", signin:"Sign in", signinHelp:"Enter the token your provincial (or prefectural) data office gave your county. It is kept in this browser tab only.",
        token:"Token", signinButton:"Sign in", badToken:"The token is unknown or was revoked", upload:"Upload files", dropHelp:"Drop files here, or", dryRun:"Check only, do not submit (dry run)",
        status:"Reporting status", period:"Period", night:"Latest tables", help:"Format guide and empty templates", guide:"Format guide", accepted:"accepted", rejected:"rejected",
        records:"records", errors:"errors", quality:"Quality checks (the file is accepted, but please check):",
        noFlags:"Nothing to check this period", noReceipt:"No receipt for this file", check:"Check", subject:"Subject", value:"Value", reference:"Reference", flag:"Flag",
        over_time:"over time", outlier:"among the province's counties", related:"against the other collection", high:"high", low:"low", line:"Line", column:"Column", code:"Code", message:"Message", download:"Download the errors (CSV)", uploading:"Uploading…",
        checking:"Checking…", failed:"Upload failed", stored:"stored", notStored:"not stored (dry run)", county:"County", dataset:"Dataset", file:"File in force",
        arrived:"Arrived", late:"late", onTime:"on time", missing:"missing", province:"Province", expected:"Expected", reporting:"Reporting", noRun:"No run yet",
        report:"report", workbook:"workbook", template:"template", counties:"County by county", more:"{n} more: download the full list", switchTo:"中文", unitNational:"National" }
};
let lang = sessionStorage.getItem("edupipe.lang") || ((navigator.language || "zh").toLowerCase().startsWith("en") ? "en" : "zh");
let token = sessionStorage.getItem("edupipe.token") || "";
let me = null;
const $ = (id) => document.getElementById(id);
const t = (k) => (T[lang][k] || k);
const when = (iso) => String(iso || "").replace("T", " ").slice(0, 16);
const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = t(e.dataset.t); });
  $("lang").textContent = t("switchTo");
  $("guideLink").href = "/guide/" + lang;
  document.title = t("title") + " · edupipe";
  if (me) { renderMe(); loadStatus(); }
}

async function api(path, options) {
  options = options || {};
  options.headers = Object.assign({ "Authorization": "Bearer " + token }, options.headers || {});
  const sep = path.includes("?") ? "&" : "?";
  return fetch(path + sep + "lang=" + lang, options);
}

async function signIn(value) {
  token = value.trim();
  const r = await api("/api/v1/me");
  if (!r.ok) { $("signinError").textContent = t("badToken"); token = ""; return false; }
  me = await r.json();
  sessionStorage.setItem("edupipe.token", token);
  $("signin").classList.add("hidden"); $("app").classList.remove("hidden"); $("signout").classList.remove("hidden");
  renderMe();
  const sel = $("period"); sel.innerHTML = "";
  me.periods.slice().reverse().forEach((p) => { const o = document.createElement("option"); o.value = p; o.textContent = p; sel.appendChild(o); });
  // Open on the latest period the account's counties have sent files for.
  const all = await api("/api/v1/status");
  if (all.ok) {
    const sent = (await all.json()).periods.filter((p) => p.provinces.some((x) => x.reporting > 0)).map((p) => p.period);
    if (sent.length && me.periods.includes(sent[sent.length - 1])) { sel.value = sent[sent.length - 1]; }
  }
  renderMe();
  loadStatus();
  if (me.level !== "county") { $("office").classList.remove("hidden"); loadRuns(); }
  return true;
}

function renderMe() {
  $("who").textContent = (me.unit === "000000" ? t("unitNational") : me.unit_name) + " " + me.unit + (me.account_name ? " · " + me.account_name : "");
  const county = me.level === "county" ? me.unit : "110101";
  const period = $("period").value || (me.periods[me.periods.length - 1] || "");
  $("templates").innerHTML = me.datasets.map((d) =>
    esc(lang === "zh" ? d.zh : d.en) + "：<a href=\"/templates/" + encodeURIComponent(d.name) + ".csv?county=" + county + "&period=" + encodeURIComponent(period) + "\">CSV</a> · " +
    "<a href=\"/templates/" + encodeURIComponent(d.name) + ".csv?encoding=gb18030&county=" + county + "&period=" + encodeURIComponent(period) + "\">CSV (GB18030)</a> · " +
    "<a href=\"/templates/" + encodeURIComponent(d.name) + ".xml?county=" + county + "&period=" + encodeURIComponent(period) + "\">XML</a>").join("<br>");
}

function uploadFile(file) {
  const box = document.createElement("div"); box.className = "file";
  box.innerHTML = "<div class=\"name\"></div><progress max=\"100\" value=\"0\"></progress><div class=\"state\"></div><div class=\"detail\"></div>";
  box.querySelector(".name").textContent = file.name;
  $("results").prepend(box);
  const bar = box.querySelector("progress"), state = box.querySelector(".state");
  state.textContent = t("uploading");
  const xhr = new XMLHttpRequest();
  const dry = $("dryRun").checked ? "&dry_run=1" : "";
  xhr.open("PUT", "/api/v1/files/" + encodeURIComponent(file.name) + "?lang=" + lang + dry);
  xhr.setRequestHeader("Authorization", "Bearer " + token);
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); } };
  xhr.upload.onload = () => { bar.value = 100; state.textContent = t("checking"); };
  xhr.onerror = () => { state.textContent = t("failed"); state.className = "state error"; };
  xhr.onload = () => {
    let body = null; try { body = JSON.parse(xhr.responseText); } catch (e) {}
    if (!body || (xhr.status >= 400 && !body.validation)) {
      state.textContent = t("failed") + (body && body.message ? "：" + body.message : " (" + xhr.status + ")"); state.className = "state error"; return;
    }
    if (body.error) { state.textContent = body.message; return; }
    renderReceipt(box, body);
    // The status of the period of the file just sent.
    const period = body.validation && body.validation.period;
    if (period && Array.from($("period").options).some((o) => o.value === period)) { $("period").value = period; }
    loadStatus();
  };
  xhr.send(file);
}

function renderReceipt(box, r) {
  const v = r.validation, state = box.querySelector(".state"), detail = box.querySelector(".detail");
  const ok = v.status === "accepted";
  state.innerHTML = "<span class=\"verdict " + v.status + "\">" + esc(t(v.status)) + "</span> · " + v.records + " " + esc(t("records")) + " · " +
    v.errors + " " + esc(t("errors")) + " · " + esc(r.stored ? t("stored") : t("notStored"));
  let html = "";
  if (r.acceptance) { html += "<p class=\"standing\">" + esc(r.acceptance.message) + "</p>"; }
  if (r.quality && r.quality.length) {
    html += "<div class=\"quality\"><p><b>" + esc(t("quality")) + "</b></p><ul>" +
      r.quality.map((q) => "<li data-check=\"" + esc(q.check) + "\">" + esc(q.message) + "</li>").join("") + "</ul></div>";
  }
  if (v.issues.length) {
    const shown = v.issues.slice(0, 50);
    html += "<div class=\"scroll\"><table class=\"issues\"><thead><tr><th>" + esc(t("line")) + "</th><th>" + esc(t("column")) + "</th><th>" + esc(t("code")) +
      "</th><th>" + esc(t("message")) + "</th></tr></thead><tbody>" +
      shown.map((i) => "<tr><td>" + esc(i.line == null ? "-" : i.line) + "</td><td>" + esc(i.column || "-") + "</td><td>" + esc(i.code) + "</td><td>" + esc(i.message) + "</td></tr>").join("") +
      "</tbody></table></div>";
    if (v.issues.length > shown.length) { html += "<p>" + esc(t("more").replace("{n}", v.issues.length - shown.length)) + "</p>"; }
  }
  if (!ok && r.stored) { html += "<p><a href=\"#\" class=\"download\">" + esc(t("download")) + "</a></p>"; }
  detail.innerHTML = html;
  const link = detail.querySelector(".download");
  if (link) { link.addEventListener("click", (e) => { e.preventDefault(); download("/api/v1/files/" + encodeURIComponent(r.file) + "/errors.csv", r.file + ".errors.csv"); }); }
}

async function download(path, name) {
  const r = await api(path); if (!r.ok) { return; }
  const blob = await r.blob(); const url = URL.createObjectURL(blob);
  const a = document.createElement("a"); a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function loadStatus() {
  const period = $("period").value; if (!period) { return; }
  const r = await api("/api/v1/status?period=" + encodeURIComponent(period)); if (!r.ok) { return; }
  const s = await r.json(); const p = s.periods[0]; if (!p) { return; }
  const names = {}; me.datasets.forEach((d) => { names[d.name] = lang === "zh" ? d.zh : d.en; });
  let html = "";
  if (me.level === "county") {
    const byDataset = {}; p.counties.forEach((c) => { byDataset[c.dataset] = c; });
    html = "<table id=\"countyStatus\"><thead><tr><th>" + esc(t("dataset")) + "</th><th>" + esc(t("file")) + "</th><th>" + esc(t("arrived")) + "</th><th></th></tr></thead><tbody>" +
      me.datasets.map((d) => { const c = byDataset[d.name];
        return c ? "<tr><td>" + esc(names[d.name]) + "</td><td>" + esc(c.path.split("/").pop()) + "</td><td>" + esc(when(c.arrived_at)) + "</td><td class=\"" + (c.late ? "late\">" + esc(t("late")) : "\">" + esc(t("onTime"))) + "</td></tr>"
                 : "<tr><td>" + esc(names[d.name]) + "</td><td>-</td><td>-</td><td class=\"missing\">" + esc(t("missing")) + "</td></tr>"; }).join("") + "</tbody></table>";
  } else {
    html = "<table id=\"officeStatus\"><thead><tr><th>" + esc(t("province")) + "</th><th>" + esc(t("dataset")) + "</th><th>" + esc(t("expected")) + "</th><th>" + esc(t("reporting")) +
      "</th><th>" + esc(t("late")) + "</th><th>" + esc(t("missing")) + "</th></tr></thead><tbody>" +
      p.provinces.map((x) => "<tr><td>" + esc(x.name) + "</td><td>" + esc(names[x.dataset] || x.dataset) + "</td><td>" + x.expected + "</td><td>" + x.reporting + "</td><td>" + x.late.length +
        "</td><td class=\"missing\">" + esc(x.missing.slice(0, 12).join(" ")) + (x.missing.length > 12 ? " …" : "") + "</td></tr>").join("") + "</tbody></table>";
  }
  $("status").innerHTML = html;
  if (me.level === "province" || me.level === "prefecture") { renderCounties(p, names); }
}

let unitList = null;
async function renderCounties(p, names) {
  if (!unitList) { const r = await api("/api/v1/units"); if (!r.ok) { return; } unitList = (await r.json()).counties; }
  const got = {}; p.counties.forEach((c) => { got[c.county + "|" + c.dataset] = c; });
  const cell = (c) => c ? (c.late ? "<td class=\"late\">" + esc(t("late")) + "</td>" : "<td>" + esc(t("onTime")) + "</td>") : "<td class=\"missing\">" + esc(t("missing")) + "</td>";
  $("countyTable").innerHTML = "<h3>" + esc(t("counties")) + "</h3><table id=\"countyRows\"><thead><tr><th>" + esc(t("county")) + "</th>" +
    me.datasets.map((d) => "<th>" + esc(names[d.name]) + "</th>").join("") + "</tr></thead><tbody>" +
    unitList.map((u) => "<tr><td>" + esc(u.name) + " " + esc(u.code) + "</td>" + me.datasets.map((d) => cell(got[u.code + "|" + d.name])).join("") + "</tr>").join("") +
    "</tbody></table>";
}

async function loadRuns() {
  const r = await api("/api/v1/runs/latest"); if (!r.ok) { return; }
  const run = await r.json();
  if (!run.periods || !run.periods.length) { $("runs").textContent = t("noRun"); return; }
  $("runs").innerHTML = run.periods.map((p) => "<p>" + esc(p.period) + "：" +
    (p.report ? "<a href=\"#\" data-path=\"" + esc(p.report) + "\" data-name=\"" + esc(p.period) + "-report.html\">" + esc(t("report")) + "</a> " : "") +
    (p.workbook ? "<a href=\"#\" data-path=\"" + esc(p.workbook) + "\" data-name=\"" + esc(p.period) + "-indicators.xlsx\">" + esc(t("workbook")) + "</a>" : "") + "</p>" +
    "<div class=\"flags\" data-period=\"" + esc(p.period) + "\"></div>").join("");
  $("runs").querySelectorAll("a").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); download(a.dataset.path, a.dataset.name); }));
  for (const p of run.periods) { if (p.quality) { renderFlags(p); } }
}

// One line of a contract CSV (RFC 4180: quotes, doubled quotes).
function csvCells(line) {
  const cells = []; let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) { if (c === "\"") { if (line[i + 1] === "\"") { cell += "\""; i++; } else { quoted = false; } } else { cell += c; } }
    else if (c === "\"") { quoted = true; } else if (c === ",") { cells.push(cell); cell = ""; } else { cell += c; }
  }
  cells.push(cell);
  return cells;
}

// The files in force of a period, by county (the live status).
const inForce = {};
function filesInForce(period) {
  if (!inForce[period]) {
    inForce[period] = api("/api/v1/status?period=" + encodeURIComponent(period)).then(async (r) => {
      const byCounty = {}; if (!r.ok) { return byCounty; }
      const s = await r.json(); const p = s.periods[0]; if (!p) { return byCounty; }
      p.counties.forEach((c) => { (byCounty[c.county] = byCounty[c.county] || []).push(c); });
      return byCounty;
    });
  }
  return inForce[period];
}

// The night's quality flags of the office's counties (quality.csv, its
// rows only), each linked to the files it concerns: the file in force of
// the subject's dataset (class_size.classes, after_school.x), or every
// file in force of the county for a check between collections.
async function renderFlags(p) {
  const r = await api(p.quality); if (!r.ok) { return; }
  const rows = (await r.text()).split("\n").slice(1).filter((l) => l).map(csvCells);
  const box = $("runs").querySelector("div.flags[data-period=\"" + p.period + "\"]");
  if (!box) { return; }
  if (!rows.length) { box.textContent = t("noFlags"); return; }
  const files = await filesInForce(p.period);
  const links = (c) => {
    const mine = files[c[1]] || [], dataset = c[4].split(".")[0];
    const concerned = mine.filter((f) => f.dataset === dataset);
    return (concerned.length ? concerned : mine).map((f) => { const name = f.path.split("/").pop();
      return "<a href=\"#\" class=\"receipt\" data-file=\"" + esc(name) + "\">" + esc(name) + "</a>"; }).join("<br>");
  };
  box.innerHTML = "<table class=\"flags\"><thead><tr><th>" + esc(t("county")) + "</th><th>" + esc(t("check")) + "</th><th>" + esc(t("subject")) +
    "</th><th>" + esc(t("value")) + "</th><th>" + esc(t("reference")) + "</th><th>" + esc(t("flag")) + "</th><th>" + esc(t("file")) + "</th></tr></thead><tbody>" +
    rows.map((c) => "<tr><td>" + esc(c[2]) + " " + esc(c[1]) + "</td><td>" + esc(t(c[3]) || c[3]) + "</td><td>" + esc(c[4]) + "</td><td>" + esc(c[5]) +
      "</td><td>" + esc(c[6]) + "</td><td>" + esc(t(c[7]) || c[7]) + "</td><td>" + links(c) + "</td></tr>").join("") + "</tbody></table>";
  box.querySelectorAll("a.receipt").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); showReceipt(a.dataset.file); }));
}

// A stored file's receipt (its verdict, standing and flags), shown as an
// upload's is.
async function showReceipt(name) {
  const box = document.createElement("div"); box.className = "file";
  box.innerHTML = "<div class=\"name\"></div><div class=\"state\"></div><div class=\"detail\"></div>";
  box.querySelector(".name").textContent = name;
  $("results").prepend(box);
  const r = await api("/api/v1/files/" + encodeURIComponent(name));
  const body = await r.json().catch(() => null);
  if (!r.ok || !body || !body.validation) {
    box.querySelector(".state").textContent = t("noReceipt") + (body && body.message ? "：" + body.message : "");
    return;
  }
  renderReceipt(box, body);
  box.scrollIntoView();
}

$("signinForm").addEventListener("submit", (e) => { e.preventDefault(); $("signinError").textContent = ""; signIn($("token").value); });
$("signout").addEventListener("click", () => { sessionStorage.removeItem("edupipe.token"); location.reload(); });
$("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; sessionStorage.setItem("edupipe.lang", lang); applyLanguage(); });
$("files").addEventListener("change", (e) => { Array.from(e.target.files).forEach(uploadFile); e.target.value = ""; });
$("period").addEventListener("change", () => { renderMe(); loadStatus(); });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); Array.from(e.dataTransfer.files).forEach(uploadFile); });
applyLanguage();
if (token) { signIn(token); }
</script>
</body>
</html>
"""#
}
