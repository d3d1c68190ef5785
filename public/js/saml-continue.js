// Carries the browser on to the identity provider (sign-in by POST, or single logout) without a click;
// the button or link stays for those without JavaScript.
(function () {
  var form = document.querySelector('form[data-auto-submit]');
  if (form) form.submit();
  var link = document.querySelector('a[data-auto-follow]');
  if (link) window.location.assign(link.href);
})();
