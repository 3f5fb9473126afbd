using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Runtime.Tests.Rigs;

public class ReplayRigTests
{
    private static readonly RigDescription Desc = new()
    {
        Name = "sim", Machine = MachineKind.ThreePhase, ConverterChannels = 3, PwmPeriod = 1e-4, EncoderLinesPerRevolution = 1024,
    };

    private static RawSensorFrame[] Frames(int n)
    {
        var f = new RawSensorFrame[n];
        for (int k = 0; k < n; k++)
        {
            f[k] = new RawSensorFrame
            {
                Sequence = k, TimestampNs = k * 100_000L, CurrentCountsA = 2048 + k, CurrentCountsB = 2048 - k, CurrentCountsC = 7,
                PhaseCSensed = k % 2 == 0, DcLinkCounts = 960, EncoderCount = -5L * k, EncoderIndexPulses = k / 10,
                EncoderCountAtIndex = -4096L * (k / 10), HallState = k % 7 - 1, FaultInputs = (uint)(k % 4),
            };
        }
        return f;
    }

    /// <summary>A recording rig of <paramref name="capacity"/> frames over a replay of <paramref name="frames"/> frames, opened.</summary>
    private static RecordingRig OpenRecording(int frames, int capacity)
    {
        var rig = new RecordingRig(new ReplayRig(Desc, Frames(frames)), capacity);
        rig.Open();
        return rig;
    }

    /// <summary><paramref name="ticks"/> reads and writes of a default (bridge off) command.</summary>
    private static void Tick(RecordingRig rig, int ticks)
    {
        var f = default(RawSensorFrame);
        var cmd = default(ConverterCommand);
        for (int k = 0; k < ticks; k++) { rig.Read(ref f); rig.Write(cmd); }
    }

    [Fact]
    public void Trace_round_trips_through_the_file_and_replays_in_order()
    {
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-trace-{Guid.NewGuid():N}.csv");
        try
        {
            RawSensorFrame[] frames = Frames(50);
            RawFrameTrace.Write(path, Desc, frames);
            using var rig = new ReplayRig(path);
            Assert.Equal(Desc.PwmPeriod, rig.Description.PwmPeriod);
            Assert.Equal(MachineKind.ThreePhase, rig.Description.Machine);
            Assert.Equal(1024, rig.Description.EncoderLinesPerRevolution);
            rig.Open();
            var f = default(RawSensorFrame);
            var cmd = default(ConverterCommand);
            cmd.BridgeEnable = true;
            for (int k = 0; k < 50; k++)
            {
                Assert.Equal(RigIoStatus.Ok, rig.Read(ref f));
                Assert.Equal(frames[k], f);
                rig.Write(cmd);
            }
            Assert.Equal(RigIoStatus.LinkLost, rig.Read(ref f));
            Assert.Equal(50, rig.EnabledWrites);
            rig.DisableBridge();
            Assert.True(rig.BridgeDisabled);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Recording_rig_records_and_counts_what_did_not_fit()
    {
        using RecordingRig rec = OpenRecording(frames: 30, capacity: 20);
        Tick(rec, 30);
        Assert.Equal(20, rec.Frames.Length);
        Assert.Equal(10, rec.DroppedFrames);
        Assert.Equal(19, rec.Frames[19].Sequence);
        Assert.Throws<InvalidOperationException>(() => rec.Save(Path.Combine(Path.GetTempPath(), "never.csv")));
    }

    [Fact]
    public void Bad_trace_names_line_and_column()
    {
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-bad-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, RawFrameTrace.Magic + "\n# machine=Dc converter_channels=1 pwm_period_s=1e-4 encoder_lines=0\n" + RawFrameTrace.Header + "\n0,0,1,2,3,0,4,5,6,7,-1,0\n1,0,1,x,3,0,4,5,6,7,-1,0\n");
            var e = Assert.Throws<ConfigException>(() => new ReplayRig(path));
            Assert.Contains("line 5", e.Field);
            Assert.Contains("current_b", e.Field);
            File.WriteAllText(path, "hello\n");
            Assert.Throws<ConfigException>(() => new ReplayRig(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_does_not_allocate()
    {
        using RecordingRig rig = OpenRecording(frames: 30_000, capacity: 30_000);
        Tick(rig, 1000);
        int gc0 = GC.CollectionCount(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Tick(rig, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"allocated {allocated} B; collections during the window: {GC.CollectionCount(0) - gc0}");
    }
}
