using System.Runtime;
using MotorRT.Runtime.Loop;

namespace MotorRT.Runtime.Tests;

public class NoGcRegionTests
{
    [Fact]
    public void ZeroBytesTakesNoRegionCollectsNothingAndNotesNothing()
    {
        var region = new NoGcRegion();
        Assert.False(region.Enter(0));
        var notes = new List<string>();
        region.Exit(notes);
        Assert.Empty(notes);
    }

    [Fact]
    public void AHeldRegionAllocatesNothingOnEntryAndIsNotedAndEndedAtExit()
    {
        var region = new NoGcRegion();
        Assert.True(region.Enter(16L << 20));
        // After the region's collection the thread's allocation context is empty and the entry itself allocated nothing.
        long before = GC.GetAllocatedBytesForCurrentThread();
        GCLatencyMode mode = GCSettings.LatencyMode;
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(GCLatencyMode.NoGCRegion, mode);
        Assert.Equal(before, after);
        var notes = new List<string>();
        region.Exit(notes);
        Assert.Equal(["no-GC region of 16777216 bytes held"], notes);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
