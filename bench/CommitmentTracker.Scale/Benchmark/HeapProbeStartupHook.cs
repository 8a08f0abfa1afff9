using System.Globalization;
using System.Net;
using System.Runtime;

#pragma warning disable CA1050 // a startup hook is found by its name in the global namespace
#pragma warning disable CA1031 // the probe answers every request; an error becomes the response

/// <summary>
/// A bench-only window into the app's memory, injected with DOTNET_STARTUP_HOOKS by the circuit benchmark (never part of
/// the app): when CT_SCALE_HEAP_PORT is set, it answers GET http://127.0.0.1:PORT/heap with the managed heap size after a
/// full, compacting, blocking collection, so the benchmark can read the heap with N idle circuits open.
/// </summary>
public static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable("CT_SCALE_HEAP_PORT") is not { Length: > 0 } port)
            return;
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var thread = new Thread(() => Serve(listener)) { IsBackground = true, Name = "ct-scale heap probe" };
        thread.Start();
    }

    private static void Serve(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = listener.GetContext();
            }
            catch (Exception)
            {
                return;
            }
            string body;
            try
            {
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                body = string.Create(CultureInfo.InvariantCulture,
                    $"{{\"totalMemory\":{GC.GetTotalMemory(false)},\"heapSize\":{info.HeapSizeBytes},\"workingSet\":{Environment.WorkingSet}}}");
                context.Response.StatusCode = 200;
            }
            catch (Exception ex)
            {
                body = ex.Message;
                context.Response.StatusCode = 500;
            }
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        }
    }
}
