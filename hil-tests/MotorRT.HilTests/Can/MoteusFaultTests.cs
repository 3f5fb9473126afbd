using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Moteus;

namespace MotorRT.HilTests.Can;

/// <summary>
/// The fault suite of the moteus CAN-FD rig: examples/moteus-speed.json composed as <c>motorrt simulate</c> composes it
/// (the moteus rig over the socket pair, the emulated servo over the twin), run tick by tick at 1 kHz; faults are
/// injected on the servo. A reply is read one tick after the period it describes, so a board fault trips in the
/// second tick after it happened; every trip puts the servo in mode Stopped within the trip tick (the trip's stop went
/// out and was applied in the same tick) and no command follows.
/// </summary>
public class MoteusFaultTests : CanRigFaultSuite<MoteusRig, EmulatedMoteus>
{
    /// <inheritdoc />
    protected override string Example => "moteus-speed.json";

    /// <inheritdoc />
    protected override string StopName => "stop (mode 0)";

    /// <inheritdoc />
    protected override EmulatedMoteus BoardOf(MoteusRig rig) => (EmulatedMoteus)rig.World!;

    /// <inheritdoc />
    protected override void AssertRunning(EmulatedMoteus board) => Assert.Equal(MoteusModes.Position, board.Mode);

    /// <inheritdoc />
    protected override void AssertStopped(EmulatedMoteus board) => Assert.Equal(MoteusModes.Stopped, board.Mode);

    /// <inheritdoc />
    protected override long Setpoints(EmulatedMoteus board) => board.SetpointCommands;

    /// <inheritdoc />
    protected override void InjectBusOff(EmulatedMoteus board) => board.InjectBusOff();

    /// <inheritdoc />
    protected override void DelayData(EmulatedMoteus board, int periods) => board.DropReplies(periods);

    /// <inheritdoc />
    protected override long LateFrames(MoteusRig rig) => rig.LateFrames;

    /// <inheritdoc />
    protected override long Stops(EmulatedMoteus board) => board.StopRequests;

    [Theory]
    [InlineData(MoteusFaults.MotorDriverFault, FaultCode.GateDriverFault)]
    [InlineData(MoteusFaults.DriverEnableFault, FaultCode.GateDriverFault)]
    [InlineData(MoteusFaults.OverTemperature, FaultCode.DriveBoardFault)]
    [InlineData(MoteusFaults.EncoderFault, FaultCode.DriveBoardFault)]
    public void Board_fault_trips_with_the_mapped_code_when_its_reply_is_read(int code, FaultCode expected)
    {
        using Armed a = Arm();
        a.Board.InjectFault(code);
        // tick 1 reads the reply sent before the fault; its write's reply carries mode Fault, read in tick 2
        Assert.Equal(2, TicksToTrip(a, expected, maxTicks: 3));
        Assert.Equal(MoteusModes.Fault, a.Rig.LastFaultReply.Mode);     // what the servo reported (its stop cleared it since)
        Assert.Equal(code, a.Rig.LastFaultReply.Fault);
    }

    [Fact]
    public void Reply_loss_trips_rig_io_after_rig_failures_late_frames()
    {
        using Armed a = Arm();
        a.Board.Silent = true;
        // the first tick still reads the reply sent before the silence; then rig_failures late frames in a row trip
        // (before the 20 ms reply timeout)
        Assert.Equal(a.Loop.Limits.RigFailures + 1, TicksToTrip(a, FaultCode.RigIo, maxTicks: 50));
    }

    [Fact]
    public void Reply_timeout_alone_trips_rig_io_as_a_lost_link()
    {
        // rig_failures out of the way: the reply timeout (0.02 s = 20 ticks) is what trips
        using Armed a = Arm(json => json.Replace("\"speed\": 420", "\"speed\": 420, \"rig_failures\": 1000"));
        a.Board.Silent = true;
        int k = TicksToTrip(a, FaultCode.RigIo, maxTicks: 50);
        Assert.Equal(1 + 21, k);                         // the last reply was read in tick 1; 21 ticks later is > 20 ticks
        Assert.Equal(k - 2, a.Rig.LateFrames);           // the ticks between were late frames, ridden through
    }

    [Fact]
    public void A_stalled_host_lets_the_servo_watchdog_time_out_and_the_next_ticks_trip_drive_board_fault()
    {
        using Armed a = Arm();
        for (int k = 0; k < 60; k++) a.Board.EndPeriod();   // 60 ms without a command: watchdog_timeout is 50 ms
        Assert.Equal(MoteusModes.Timeout, a.Board.Mode);
        // tick 1: no reply waiting (late frame), its query is answered with mode Timeout, read in tick 2
        Assert.Equal(2, TicksToTrip(a, FaultCode.DriveBoardFault, maxTicks: 3));
    }

    [Fact]
    public void Running_ticks_on_the_can_fd_rig_allocate_nothing() => AssertRunningTicksAllocateNothing();
}
