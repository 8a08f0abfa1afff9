using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>What <c>circuits</c> is asked for.</summary>
internal sealed record CircuitOptions(string Database, string? Connection, string? DataDirectory, int Circuits, int Step, string Path = "dashboard");

/// <summary>Server memory per idle signed-in dashboard circuit, kept in bench/scale-results/&lt;database&gt;.circuits.json.</summary>
internal sealed record CircuitResult
{
    public required string Database { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string LoadBefore { get; init; }

    /// <summary>The page each tab opens (the dashboard unless asked otherwise, for comparison).</summary>
    public string Path { get; init; } = "dashboard";

    public List<int> Circuits { get; init; } = [];
    public List<long> HeapBytes { get; init; } = [];
    public List<long> WorkingSetBytes { get; init; } = [];
    public List<double> PageLoadMs { get; init; } = [];
    public double KilobytesPerCircuit { get; set; }
    public double WorkingSetKilobytesPerCircuit { get; set; }
    public double RSquared { get; set; }
    public string? Error { get; set; }

    public bool Pass => Error is null && KilobytesPerCircuit <= Targets.CircuitKilobytes;
}

/// <summary>
/// <c>circuits</c>: starts the app on Kestrel against a generated database (the built app, with a bench-only startup hook that
/// reports the managed heap after a forced full collection; see <see cref="StartupHook"/>), signs in as manager@demo.local in
/// headless Chromium, opens the dashboard in one tab after another, and after every few tabs reads the heap. The slope of heap
/// size over open circuits is the memory an idle dashboard circuit holds.
/// </summary>
internal static class CircuitMemory
{
    internal static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<CircuitResult> RunAsync(CircuitOptions options, CancellationToken cancellationToken)
    {
        await using var server = await ScaleDatabase.OpenAsync(options.Connection, options.DataDirectory, cancellationToken);
        if (!await server.ExistsAsync(options.Database, cancellationToken))
            throw new InvalidOperationException($"There is no database {options.Database}: generate it first.");
        var result = new CircuitResult { Database = options.Database, StartedAt = DateTimeOffset.UtcNow, LoadBefore = Machine.LoadAverage(), Path = options.Path };
        var work = Directory.CreateTempSubdirectory("ct-scale-circuits-").FullName;
        var (appPort, heapPort) = (FreePort(), FreePort());
        var baseAddress = new Uri($"http://127.0.0.1:{appPort}/");
        using var app = StartApp(server.ConnectionString(options.Database, maxPoolSize: 50), appPort, heapPort, work);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            await WaitReadyAsync(http, new Uri(baseAddress, "health/ready"), app, cancellationToken);
            Console.WriteLine($"App on {baseAddress} (database {options.Database}); heap probe on 127.0.0.1:{heapPort}.");

            using var playwright = await Playwright.CreateAsync();
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string ?? "");
            environment["XDG_CONFIG_HOME"] = Path.Combine(work, "config");
            environment["XDG_CACHE_HOME"] = Path.Combine(work, "cache");
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs, Env = environment,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), Locale = "en-GB" });
            context.SetDefaultTimeout(180_000);
            context.SetDefaultNavigationTimeout(180_000);
            var signIn = await context.NewPageAsync();
            await signIn.GotoAsync("Account/Login");
            await signIn.Locator("input[name='Input.Email']").FillAsync("manager@demo.local");
            await signIn.Locator("input[name='Input.Password']").FillAsync("Demo-Password-2026!");
            await signIn.Locator("form button[type='submit']").ClickAsync();
            await signIn.WaitForURLAsync(url => !url.Contains("Account/Login", StringComparison.OrdinalIgnoreCase));
            await signIn.Locator("[data-interactive='true']").WaitForAsync();

            await MeasureAsync(http, heapPort, result, 0, cancellationToken);
            var pages = new List<IPage>();
            for (var i = 1; i <= options.Circuits; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = await context.NewPageAsync();
                await page.GotoAsync(options.Path);
                await page.Locator("[data-interactive='true']").WaitForAsync();
                if (options.Path == "dashboard")
                    await page.GetByTestId("dashboard-updated").WaitForAsync();
                else
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                result.PageLoadMs.Add(Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
                pages.Add(page);
                if (i % options.Step == 0 || i == options.Circuits)
                {
                    await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                    await MeasureAsync(http, heapPort, result, i, cancellationToken);
                }
            }
            var (slope, r2) = Fit(result.Circuits, result.HeapBytes);
            result.KilobytesPerCircuit = Math.Round(slope / 1024, 1);
            result.WorkingSetKilobytesPerCircuit = Math.Round(Fit(result.Circuits, result.WorkingSetBytes).Slope / 1024, 1);
            result.RSquared = Math.Round(r2, 3);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Error = $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            await StopAppAsync(app, work);
        }

        Console.WriteLine(result.Error ?? $"  {result.KilobytesPerCircuit:N1} KB of managed heap per idle /{options.Path} circuit (R² {result.RSquared}); " +
            $"working set {result.WorkingSetKilobytesPerCircuit:N0} KB per circuit; {(result.Pass ? "PASS" : "FAIL")} (target <= {Targets.CircuitKilobytes} KB)");
        var path = System.IO.Path.Combine(Repository.Root, "bench", "scale-results",
            options.Path == "dashboard" ? $"{options.Database}.circuits.json" : $"{options.Database}.circuits-{options.Path.Replace('/', '-')}.json");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, CommitmentTracker.Scale.Generation.ResultsJson.Options), cancellationToken);
        Console.WriteLine($"  kept in {Path.GetRelativePath(Repository.Root, path)}");
        return result;
    }

    private static async Task MeasureAsync(HttpClient http, int heapPort, CircuitResult result, int circuits, CancellationToken cancellationToken)

    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{heapPort}/heap"), cancellationToken));
        var heap = doc.RootElement.GetProperty("totalMemory").GetInt64();
        var workingSet = doc.RootElement.GetProperty("workingSet").GetInt64();
        result.Circuits.Add(circuits);
        result.HeapBytes.Add(heap);
        result.WorkingSetBytes.Add(workingSet);
        Console.WriteLine($"  {circuits,3} /{result.Path} circuits: managed heap {heap / 1024.0 / 1024.0:N1} MB, working set {workingSet / 1024.0 / 1024.0:N0} MB");
    }

    /// <summary>The built app (Release), on Kestrel, with the heap probe hooked in and nothing running in the background.</summary>
    internal static Process StartApp(string connectionString, int port, int heapPort, string work)
    {
        var root = Repository.Root;
        var appDll = Path.Combine(root, "src", "CommitmentTracker.Web", "bin", "Release", "net10.0", "CommitmentTracker.Web.dll");
        if (!File.Exists(appDll))
            throw new InvalidOperationException($"{appDll} is missing: build the app in Release (bench/scale.sh does).");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DataProtection__KeysDirectory"] = Path.Combine(work, "keys");
        start.Environment["Email__PickupDirectory"] = Path.Combine(work, "mail");
        start.Environment["Risk__SweepEnabled"] = "false";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        start.Environment["CT_SCALE_HEAP_PORT"] = heapPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var log = new StreamWriter(Path.Combine(work, "app.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        return process;
    }

    /// <summary>Stops the app started by <see cref="StartApp"/> and removes its work folder.</summary>
    internal static async Task StopAppAsync(Process app, string work)
    {
        if (!app.HasExited)
            app.Kill(entireProcessTree: true);
        await app.WaitForExitAsync(CancellationToken.None);
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    internal static async Task WaitReadyAsync(HttpClient http, Uri ready, Process app, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (app.HasExited)
                throw new InvalidOperationException($"The app exited with code {app.ExitCode} before it was ready.");
            try
            {
                using var response = await http.GetAsync(ready, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new TimeoutException("The app did not become ready within 3 minutes.");
    }

    /// <summary>Least-squares slope of y over x, and how well a line fits (R²).</summary>
    private static (double Slope, double RSquared) Fit(List<int> xs, List<long> ys)
    {
        var n = xs.Count;
        var mx = xs.Average();
        var my = ys.Average(y => (double)y);
        var sxy = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        var syy = ys.Sum(y => (y - my) * (y - my));
        var slope = sxx == 0 ? 0 : sxy / sxx;
        return (slope, n < 2 || syy == 0 ? 0 : sxy * sxy / (sxx * syy));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
