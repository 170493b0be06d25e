// Quick exit, like GOV.UK's "Exit this page": the button (or pressing Shift three times
// within five seconds) blanks the page at once and replaces it in the history with /exit,
// which ends any session and redirects to a neutral site. Without JavaScript the button is
// a plain link to /exit.
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) { return; }
  var PRESSES = 3;
  var WINDOW_MS = 5000;
  var leaving = false;

  function leave(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    document.documentElement.classList.add("sh-leaving");
    document.title = "";
    window.location.replace(button.getAttribute("href"));
  }

  button.addEventListener("click", leave);

  // Count Shift presses on their own; Shift held for a capital letter does not count.
  var shiftTimes = [];
  var shiftUsedWithAnotherKey = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      shiftUsedWithAnotherKey = false;
      return;
    }
    shiftUsedWithAnotherKey = event.shiftKey;
    shiftTimes = [];
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    if (shiftUsedWithAnotherKey) {
      shiftUsedWithAnotherKey = false;
      shiftTimes = [];
      return;
    }
    var now = Date.now();
    shiftTimes.push(now);
    shiftTimes = shiftTimes.filter(function (t) { return now - t <= WINDOW_MS; });
    if (shiftTimes.length >= PRESSES) {
      shiftTimes = [];
      leave(event);
    }
  });
})();
