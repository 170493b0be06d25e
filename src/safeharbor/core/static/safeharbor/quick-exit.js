// Quick exit: pressing Escape twice, or the button, leaves for a neutral site through
// /exit (which also ends any session) and replaces this page in the history.
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    window.location.replace(button.getAttribute("href"));
  }
  button.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(event); }
    lastEscape = now;
  });
})();
