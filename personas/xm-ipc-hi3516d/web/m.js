var bCrossBrow=false;
var bnpCheck=false;
function $(id){return document.getElementById(id);}
function InitLogin(){
	var f=$("loginForm");
	if(navigator.platform!="Win32"){bCrossBrow=true;}
	if(f&&f.username){f.username.focus();}
}
function InitDVR(){
	if(!bCrossBrow){try{$("ocx").SetDeviceInfo(window.location.hostname,g_Port);}catch(e){}}
}
