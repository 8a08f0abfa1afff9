// The browser's time zone (an IANA id such as "Europe/Berlin"): sent with the sign-in form, so a user without a stored
// zone gets theirs, and read by the app on the first page when the sign-in form did not carry it.
window.commitmentTracker = window.commitmentTracker || {};
window.commitmentTracker.timeZone = function () {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch {
        return null;
    }
};
(function () {
    function fill() {
        const zone = window.commitmentTracker.timeZone();
        if (!zone) return;
        document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) { input.value = zone; });
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
    else fill();
    // Blazor's enhanced navigation swaps the page without loading scripts again.
    if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener("enhancedload", fill);
    document.addEventListener("submit", fill, true);
})();
