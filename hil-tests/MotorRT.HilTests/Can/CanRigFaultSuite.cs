using MotorRT.Hardware;
using MotorRT.Runtime.Composition;

namespace MotorRT.HilTests.Can;

/// <summary>
/// The arm/trip harness of the CAN rig fault suites (<see cref="ODriveFaultTests"/>, <see cref="MoteusFaultTests"/>):
/// an example config composed as <c>motorrt simulate</c> composes it (the rig over the socket pair, the emulated board
/// over the twin), armed and run to steady running; <see cref="TicksToTrip"/> then runs tick by tick until the drive
/// trips and asserts the trip's stop reached the board within the trip tick and no set-point followed. Each suite
/// says what "running", "a set-point", "a stop" and "late data" are on its board. The bus-off and late-frame
/// tests are the same for both and live here (xUnit runs them under each suite's name).
/// </summary>
/// <typeparam name="TRig">The rig type.</typeparam>
/// <typeparam name="TBoard">The emulated board behind it.</typeparam>
public abstract class CanRigFaultSuite<TRig, TBoard>
    where TRig : class, IRigIo
    where TBoard : class, IEmulatedWorld
{
    private static readonly DriveRegistry Registry = DriveRegistry.Create([new SimRigKind(), .. HardwareRigKinds.All]);

    /// <summary>An armed drive: its loop, the rig and the board behind it.</summary>
    protected sealed record Armed(ControlLoop Loop, TRig Rig, TBoard Board) : IDisposable
    {
        public void Dispose() => Loop.Dispose();
    }

    /// <summary>The example config file the suite runs (in examples/).</summary>
    protected abstract string Example { get; }

    /// <summary>What the trip's stop is called on this board, for the message when none arrived.</summary>
    protected abstract string StopName { get; }

    /// <summary>The emulated board behind the rig.</summary>
    protected abstract TBoard BoardOf(TRig rig);

    /// <summary>Asserts the board runs under the loop (closed loop, position mode).</summary>
    protected abstract void AssertRunning(TBoard board);

    /// <summary>Asserts the board is stopped (idle, mode Stopped).</summary>
    protected abstract void AssertStopped(TBoard board);

    /// <summary>Set-point commands the board has received.</summary>
    protected abstract long Setpoints(TBoard board);

    /// <summary>Stop requests the board has received.</summary>
    protected abstract long Stops(TBoard board);

    /// <summary>Composes the example (edited by <paramref name="edit"/>, if given), arms it and runs 0.3 s at 50 rad/s.</summary>
    protected Armed Arm(Func<string, string>? edit = null)
    {
        string path = RepoFiles.Example(Example);
        RuntimeConfig config = edit is null ? RuntimeConfig.Load(path) : RuntimeConfig.Parse(path, edit(File.ReadAllText(path)));
        Drive d = DriveBuilder.Build(config, Registry);
        var rig = (TRig)d.Rig;
        TBoard board = BoardOf(rig);
        d.Loop.Open();
        Assert.True(d.Loop.Calibrate(), "calibration failed");
        d.Loop.Start();
        d.Loop.RunTicks(300);   // 0.3 s: at 50 rad/s, the board under the loop
        Assert.Equal(DriveState.Running, d.Loop.State);
        AssertRunning(board);
        Assert.True(Setpoints(board) > 250);
        return new Armed(d.Loop, rig, board);
    }

    /// <summary>Ticks until the drive trips (at most <paramref name="maxTicks"/>); returns the ticks it took.</summary>
    protected int TicksToTrip(Armed a, FaultCode expected, int maxTicks)
    {
        long stopsBefore = Stops(a.Board);
        for (int k = 1; k <= maxTicks; k++)
        {
            a.Loop.RunTicks(1);
            if (a.Loop.State == DriveState.Fault)
            {
                Assert.Equal(expected, a.Loop.States.LatchedFault);
                Assert.False(a.Loop.LastCommand.BridgeEnable);
                AssertStopped(a.Board);                                           // stopped within the trip tick
                Assert.True(Stops(a.Board) > stopsBefore, $"no {StopName} reached the board in the trip tick");
                long setpoints = Setpoints(a.Board);
                a.Loop.RunTicks(5);
                Assert.Equal(setpoints, Setpoints(a.Board));                     // no set-point after the trip
                AssertStopped(a.Board);
                return k;
            }
        }
        Assert.Fail($"{expected} did not trip within {maxTicks} ticks");
        return -1;
    }

    /// <summary>Makes the board's end report bus-off (an error frame).</summary>
    protected abstract void InjectBusOff(TBoard board);

    /// <summary>Leaves out the board's data (estimates, replies) for the next <paramref name="periods"/> periods.</summary>
    protected abstract void DelayData(TBoard board, int periods);

    /// <summary>The rig's count of late frames.</summary>
    protected abstract long LateFrames(TRig rig);

    [Fact]
    public void Bus_off_trips_rig_io_in_the_tick_it_is_reported()
    {
        using Armed a = Arm();
        InjectBusOff(a.Board);
        Assert.Equal(1, TicksToTrip(a, FaultCode.RigIo, maxTicks: 1));
    }

    [Fact]
    public void Late_frames_are_counted_and_trip_only_rig_failures_in_a_row()
    {
        using Armed a = Arm();
        int n = a.Loop.Limits.RigFailures;
        DelayData(a.Board, n - 1);      // one short of the limit: ridden through
        a.Loop.RunTicks(n + 5);
        Assert.Equal(DriveState.Running, a.Loop.State);
        Assert.Equal(n - 1, LateFrames(a.Rig));
        DelayData(a.Board, n);
        Assert.Equal(n + 1, TicksToTrip(a, FaultCode.RigIo, maxTicks: n + 2));   // the first tick reads the data sent before
    }

    /// <summary>Running ticks on the rig allocate nothing (1000 warm ticks).</summary>
    protected void AssertRunningTicksAllocateNothing()
    {
        using Armed a = Arm();
        a.Loop.RunTicks(200);
        long before = GC.GetAllocatedBytesForCurrentThread();
        a.Loop.RunTicks(1000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(DriveState.Running, a.Loop.State);
    }
}
