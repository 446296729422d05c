// The complaint form's proof of work (ALTCHA v1, SHA-256): find the number whose hash with
// the salt is the challenge, then fill the hidden field. Nothing to read or click.
(function () {
  "use strict";
  var field = document.getElementById("altcha");
  var status = document.getElementById("pow-status");
  if (!field || !window.crypto || !window.crypto.subtle) {
    if (status) { status.textContent = "此浏览器无法完成安全验证，请改用其他浏览器或拨打 12349 热线。"; }
    return;
  }
  var d = field.dataset, max = parseInt(d.max, 10), encoder = new TextEncoder();
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  async function solve() {
    for (var n = 0; n <= max; n++) {
      var h = hex(await crypto.subtle.digest("SHA-256", encoder.encode(d.salt + n)));
      if (h === d.challenge) { return n; }
    }
    return -1;
  }
  solve().then(function (n) {
    if (n < 0) { status.textContent = "安全验证未完成，请刷新页面后重试。"; return; }
    field.value = btoa(JSON.stringify({algorithm: d.algorithm, challenge: d.challenge,
      number: n, salt: d.salt, signature: d.signature}));
    status.textContent = "安全验证已完成，可以提交。";
    status.dataset.done = "yes";
  });
})();
