var Translate={
	title:"Digital Video Recorder",
	user:"User Name",
	pswd:"Password",
	login:"Login",
	MFt:"MainStream",
	EFt:"ExtraStream",
	errPswd:"Incorrect user name or password!"
};
