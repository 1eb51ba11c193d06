// Loaded just before require.js on pages that carry Jupyter widget state. A global `require`
// object defined before require.js loads is taken as its configuration: the base URL becomes this
// folder, so the widgets HTML manager (embed-amd.js) finds its icon fonts in
// @jupyter-widgets/html-manager/dist/ next to this file, whatever folder the page is in.
// Without it the fonts are looked for relative to the page (a 404 each).
var require = (function () {
  var here = document.currentScript && document.currentScript.src;
  return here ? { baseUrl: here.slice(0, here.lastIndexOf("/") + 1) } : {};
})();
