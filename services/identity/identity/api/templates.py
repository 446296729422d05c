"""The provider's pages (zh-CN): large type, one column, readable on a phone."""

from __future__ import annotations

LAYOUT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - 养老机构综合监管平台统一身份认证</title>
<style>
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;
 font-size:20px;line-height:1.7;margin:0;background:#f4f6f8;color:#1a1a1a}
header{background:#0b4f8a;color:#fff;padding:14px 20px;font-size:22px}
main{max-width:980px;margin:0 auto;padding:20px}
.card{background:#fff;border-radius:8px;padding:20px;margin-bottom:20px;
 box-shadow:0 1px 3px rgba(0,0,0,.15)}
label{display:block;margin-top:12px;font-weight:bold}
input,select{font-size:20px;padding:10px;width:100%;box-sizing:border-box;
 border:2px solid #667;border-radius:6px}
button{font-size:20px;padding:12px 24px;margin-top:16px;background:#0b4f8a;color:#fff;
 border:0;border-radius:6px;cursor:pointer;min-height:48px}
button.secondary{background:#555}
.error{background:#fde8e8;border-left:6px solid #b00020;padding:12px;margin:12px 0}
.notice{background:#e8f4fd;border-left:6px solid #0b4f8a;padding:12px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:18px}
th,td{border-bottom:1px solid #ccd;padding:8px;text-align:left;vertical-align:top}
code{font-size:22px;background:#eef;padding:2px 6px}
.inline{display:inline-block;margin-right:8px}
.scroll{overflow-x:auto}
input[type=checkbox]{width:28px;height:28px;vertical-align:middle}
.inline input{width:auto}
</style></head><body>
<header>养老机构综合监管平台 · 统一身份认证{% if who %}<span style="float:right;font-size:18px">
{{ who }}</span>{% endif %}</header>
<main><h1>{{ title }}</h1>
{% for e in errors %}<div class="error" role="alert">{{ e }}</div>{% endfor %}
{% for n in notices %}<div class="notice" role="status">{{ n }}</div>{% endfor %}
{{ body|safe }}
</main></body></html>"""

LOGIN = """<div class="card"><form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ next }}">
<label for="login">登录名</label>
<input id="login" name="login" autocomplete="username" required value="{{ login }}">
<label for="password">口令</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button></form></div>
<p>忘记口令或账号被锁定，请联系本部门的账号管理员。</p>"""

PASSWORD = """<div class="card"><form method="post" action="/password">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ next }}">
<label for="current">当前口令</label>
<input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="new">新口令（至少 {{ min_length }} 个字符，含大写字母、小写字母、数字、符号中的至少
 {{ min_classes }} 类，不含登录名）</label>
<input id="new" name="new" type="password" autocomplete="new-password" required>
<label for="again">再次输入新口令</label>
<input id="again" name="again" type="password" autocomplete="new-password" required>
<button type="submit">修改口令</button></form></div>"""

SIGNED_IN = """<div class="card"><p>您已登录：{{ name }}（{{ login }}）。</p>
<p><a href="/password">修改口令</a>
{% if admin %} · <a href="/admin/accounts">账号管理</a>{% endif %}</p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<button type="submit" class="secondary">退出登录</button></form></div>"""

LOGOUT_CONFIRM = """<div class="card"><p>确定要退出登录吗？</p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="post_logout_redirect_uri" value="{{ redirect }}">
<button type="submit">退出登录</button></form></div>"""

ADMIN = """<div class="card"><h2>新建账号</h2>
<form method="post" action="/admin/accounts">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<label for="login">登录名（小写字母、数字、. _ -）</label><input id="login" name="login" required>
<label for="name">姓名</label><input id="name" name="name" required>
<label for="department">部门</label><select id="department" name="department">
{% for code, label in departments %}<option value="{{ code }}">{{ label }}</option>{% endfor %}
</select>
<label for="regions">辖区（行政区划代码，多个用逗号分隔，如 500103 渝中区、5001 重庆市辖区）</label>
<input id="regions" name="regions" required>
<fieldset style="margin-top:12px"><legend>职责</legend>
{% for code, label in duties %}<label class="inline"><input type="checkbox" name="duties"
 value="{{ code }}"> {{ label }}</label>{% endfor %}</fieldset>
<button type="submit">创建账号</button></form></div>
<div class="card"><h2>账号列表</h2><div class="scroll"><table>
<tr><th>登录名</th><th>姓名</th><th>部门</th><th>辖区</th><th>职责</th><th>状态</th><th>操作</th></tr>
{% for a in accounts %}<tr><td>{{ a.login }}</td><td>{{ a.name }}</td>
<td>{{ dept_names.get(a.department, a.department) }}</td><td>{{ a.regions|join("、") }}</td>
<td>{{ a.duty_names }}</td><td>{{ "正常" if a.active else "已停用" }}</td><td>
{% if a.login != me %}<form method="post" action="/admin/accounts/{{ a.login }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
{% if a.active %}<button name="action" value="disable" class="secondary">停用</button>
{% else %}<button name="action" value="enable">启用</button>{% endif %}
<button name="action" value="reset" class="secondary">重置口令</button></form>
<form method="post" action="/admin/accounts/{{ a.login }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="action" value="profile">
<label for="r-{{ a.login }}">辖区</label>
<input id="r-{{ a.login }}" name="regions" value="{{ a.regions|join(",") }}">
<label for="d-{{ a.login }}">职责（逗号分隔：clerk, inspector, leader, account_admin）</label>
<input id="d-{{ a.login }}" name="duties" value="{{ a.duties|join(",") }}">
<button type="submit">保存</button></form>{% endif %}</td></tr>{% endfor %}
</table></div></div>"""

MESSAGE = """<div class="card"><p><a href="/">返回</a></p></div>"""
