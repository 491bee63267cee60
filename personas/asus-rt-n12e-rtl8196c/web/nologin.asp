<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>ASUS Login</title>
</head>
<body>
<div class="nologin">The router is being managed by another user. Please try again later.</div>
</body>
</html>
