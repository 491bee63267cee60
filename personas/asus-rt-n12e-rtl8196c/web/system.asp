<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>ASUS Wireless Router RT-N12E - System</title>
<script type="text/javascript" src="/general.js"></script>
</head>
<body>
<form method="post" name="form" action="/start_apply.htm" target="hidden_frame">
<input type="hidden" name="current_page" value="Advanced_System_Content.asp">
<input type="hidden" name="action_mode" value="apply">
<table>
<tr><th>Router Login Name</th><td><input type="text" name="http_username" value="admin" maxlength="20"></td></tr>
<tr><th>New Password</th><td><input type="password" name="http_passwd2" maxlength="16"></td></tr>
<tr><th>Time Zone</th><td><select name="time_zone"><option value="UTC0" selected>(GMT) Greenwich Mean Time</option></select></td></tr>
<tr><th>NTP Server</th><td><input type="text" name="ntp_server0" value="pool.ntp.org"></td></tr>
<tr><th>Enable Telnet</th><td><input type="radio" name="telnetd" value="1" checked>Yes <input type="radio" name="telnetd" value="0">No</td></tr>
</table>
<input class="button_gen" type="submit" value="Apply">
</form>
<iframe name="hidden_frame" id="hidden_frame" width="0" height="0" frameborder="0"></iframe>
</body>
</html>
