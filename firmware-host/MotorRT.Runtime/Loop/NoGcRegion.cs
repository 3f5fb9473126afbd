using System.Runtime;

namespace MotorRT.Runtime.Loop;

/// <summary>The optional no-GC region held while Running (<c>timing.no_gc_region_bytes</c>); what happened goes into notes.</summary>
public sealed class NoGcRegion
{
    private bool _held;

    /// <summary>Tries to start a no-GC region of <paramref name="bytes"/> bytes (nothing when 0); adds a note.</summary>
    public void Enter(long bytes, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        _held = false;
        if (bytes <= 0) return;
        try
        {
            _held = GC.TryStartNoGCRegion(bytes);
            notes.Add(_held ? $"no-GC region of {bytes} bytes held" : "no-GC region refused");
        }
        catch (ArgumentOutOfRangeException e) { notes.Add($"no-GC region not started: {e.Message}"); }
        catch (InvalidOperationException e) { notes.Add($"no-GC region not started: {e.Message}"); }
    }

    /// <summary>Ends the region when still held; notes when a collection ended it during the run.</summary>
    public void Exit(List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (!_held) return;
        _held = false;
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        else notes.Add("the no-GC region was lost during the run (a collection happened)");
    }
}
