(function () {
  if (/[?&]err=1/.test(window.location.search)) {
    document.getElementById('err').hidden = false;
  }
})();
