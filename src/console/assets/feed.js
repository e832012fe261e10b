// The lead feed keeps itself current: it reloads every 20 s while nobody is typing in a filter.
// Without JavaScript the page is the same, only refreshed by hand.
(function () {
  'use strict';
  var EDITING = { INPUT: true, SELECT: true, TEXTAREA: true };
  setInterval(function () {
    var active = document.activeElement;
    if (document.hidden || (active && EDITING[active.tagName])) return;
    location.reload();
  }, 20000);
})();
