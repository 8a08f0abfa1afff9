// The skip link moves the keyboard focus to the page's main content (and scrolls there). Handled here, before
// Blazor's navigation sees the click, so it works on every page whatever its address.
document.addEventListener("click", function (event) {
    const link = event.target instanceof Element ? event.target.closest("a.ct-skip-link") : null;
    if (!link) {
        return;
    }
    const main = document.getElementById("main-content");
    if (main) {
        event.preventDefault();
        event.stopPropagation();
        main.focus();
        main.scrollIntoView();
    }
}, true);
