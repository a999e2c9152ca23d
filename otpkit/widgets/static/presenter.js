// otpkit presenter mode under Voila: the keys of a presentation clicker, and names for controls
// that ipywidgets leaves unnamed. JupyterLab runs none of this (the page is not Voila's).
(function () {
  "use strict";
  if (document.body.dataset.voila === undefined || window.otpkitPresenter) return;
  window.otpkitPresenter = true;
  var FORWARD = { ArrowRight: true, PageDown: true };
  var BACKWARD = { ArrowLeft: true, PageUp: true };

  function isTextBox(el) {
    if (!el || !el.matches) return false;
    return el.matches("textarea, [contenteditable='true'], input:not([type='button']):not(" +
      "[type='checkbox']):not([type='radio']):not([type='range']):not([type='submit'])");
  }

  // Whether an arrow key belongs to the control that has the focus: a slider's handle moves with
  // it, and in a text box the caret moves until it reaches the end (Right) or the start (Left).
  function arrowStaysIn(el, forward) {
    if (!el || !el.closest) return false;
    if (el.closest("[role='slider'], .noUi-handle")) return true;
    if (!isTextBox(el)) return false;
    if (el.isContentEditable) { // a slider's readout: its text is one text node
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount) return false;
      var range = selection.getRangeAt(0);
      var size = (range.endContainer.textContent || "").length;
      return forward ? !(range.collapsed && range.endOffset === size)
        : !(range.collapsed && range.startOffset === 0);
    }
    var start = el.selectionStart, end = el.selectionEnd;
    if (start === null || start === undefined) return false; // a number box: no caret to follow
    var length = (el.value || "").length;
    return forward ? !(start === length && end === length) : !(start === 0 && end === 0);
  }

  // Capture phase: Page Up / Page Down reach the presenter before a slider or a list takes them.
  document.addEventListener("keydown", function (event) {
    var forward = FORWARD[event.key] === true;
    if (!forward && BACKWARD[event.key] !== true) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.isComposing) {
      return;
    }
    var focused = document.activeElement;
    if (event.key.indexOf("Arrow") === 0 && arrowStaysIn(focused, forward)) return;
    var name = forward ? "otpkit-bar-next" : "otpkit-bar-back";
    var button = document.querySelector(".otpkit-presenter button." + name);
    if (!button || button.disabled) return;
    event.preventDefault();
    event.stopPropagation();
    // Leaving a box first sends what was typed (its "change"), so the kernel has it before Next.
    if (focused && focused !== document.body && (isTextBox(focused) || focused.tagName === "SELECT")) {
      focused.blur();
    }
    button.click();
  }, true);

  // ipywidgets draws a slider's handle without a name and an Image without a text alternative:
  // give each the label beside it, or the slide's title.
  function name() {
    document.querySelectorAll(".otpkit-presenter .noUi-handle:not([aria-label])").forEach(
      function (handle) {
        var slider = handle.closest(".widget-slider");
        var label = slider && slider.querySelector(".widget-label");
        var text = label ? label.textContent.trim() : "";
        if (text) handle.setAttribute("aria-label", text);
      });
    document.querySelectorAll(".otpkit-presenter img:not([alt])").forEach(function (img) {
      var slide = img.closest(".otpkit-slide");
      var title = slide && slide.querySelector("h3");
      var text = img.getAttribute("title") ||
        (title ? "Chart: " + title.textContent.trim() + " (the sentence under it says what it shows)"
          : "");
      if (text) img.setAttribute("alt", text);
    });
  }
  // Named in the observer's own callback, which runs before the browser does anything else, so
  // no reader (or checker) ever meets a control that has no name yet.
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  name();
})();
