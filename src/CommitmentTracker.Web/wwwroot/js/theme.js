// Remembers the light/dark choice for a year. A cookie rather than localStorage, so the server's first
// render of the next page already uses the chosen theme.
window.commitmentTracker = window.commitmentTracker || {};
window.commitmentTracker.rememberTheme = function (isDark) {
    const secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = "ct-theme=" + (isDark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax" + secure;
};
