# Sourced by run.sh and test.sh: makes sure the Debian packages the app and the tests need are present.
# As root it installs what is missing; otherwise it says exactly what to install.

_apt_updated=0

_install() {
    local package="$1" why="$2"
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing: $why. Install it with:  sudo apt-get install -y $package" >&2
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Missing: $why, and apt-get is not available. Install the '$package' package with your system's package manager." >&2
        return 1
    fi
    echo "Installing $package ($why)..."
    if [ "$_apt_updated" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
}

# The PostgreSQL server binaries (initdb, pg_ctl) run the embedded database; not needed when
# ConnectionStrings__Default points at a server.
ensure_postgres_binaries() {
    if [ -n "${ConnectionStrings__Default:-}" ]; then return 0; fi
    if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; then return 0; fi
    _install postgresql "the PostgreSQL server binaries (initdb, pg_ctl) for the embedded database"
}

# Chromium drives the end-to-end tests through Playwright.
ensure_chromium() {
    if [ -n "${CT_CHROMIUM_PATH:-}" ] && [ -x "${CT_CHROMIUM_PATH}" ]; then return 0; fi
    if [ -x /usr/bin/chromium ]; then return 0; fi
    _install chromium "Chromium for the end-to-end browser tests"
}

# nginx (Debian's) is the load balancer of the two-instance end-to-end test.
ensure_nginx() {
    if [ -n "${CT_NGINX_PATH:-}" ] && [ -x "${CT_NGINX_PATH}" ]; then return 0; fi
    if [ -x /usr/sbin/nginx ]; then return 0; fi
    # nginx-light is enough (Debian 12); newer Debian releases have only nginx.
    local package=nginx-light
    if command -v apt-cache >/dev/null 2>&1 && ! apt-cache show nginx-light >/dev/null 2>&1; then package=nginx; fi
    _install "$package" "nginx for the two-instance end-to-end test (the load balancer in front of two app processes)"
}

ensure_dotnet() {
    if command -v dotnet >/dev/null 2>&1; then return 0; fi
    echo "Missing: the .NET 10 SDK. See https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    return 1
}
