using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.ODrive;

namespace MotorRT.HilTests.Can;

/// <summary>
/// The fault suite of the ODrive CAN rig: examples/pmdc-speed-odrive.json composed as <c>motorrt simulate</c> composes
/// it (the ODrive rig over the socket pair, the emulated board over the twin), run tick by tick at 1 kHz; faults are
/// injected on the board. Each trips in the tick it becomes visible on the bus and the board is idle after that tick
/// (the trip's Set_Axis_State(IDLE) went out and was applied in the same tick).
/// </summary>
public class ODriveFaultTests : CanRigFaultSuite<ODriveRig, EmulatedODrive>
{
    /// <inheritdoc />
    protected override string Example => "pmdc-speed-odrive.json";

    /// <inheritdoc />
    protected override string StopName => "Set_Axis_State(IDLE)";

    /// <inheritdoc />
    protected override EmulatedODrive BoardOf(ODriveRig rig) => (EmulatedODrive)rig.World!;

    /// <inheritdoc />
    protected override void AssertRunning(EmulatedODrive board) => Assert.Equal(CanSimple.StateClosedLoop, board.State);

    /// <inheritdoc />
    protected override void AssertStopped(EmulatedODrive board) => Assert.Equal(CanSimple.StateIdle, board.State);

    /// <inheritdoc />
    protected override long Setpoints(EmulatedODrive board) => board.TorqueCommands;

    /// <inheritdoc />
    protected override void InjectBusOff(EmulatedODrive board) => board.InjectBusOff();

    /// <inheritdoc />
    protected override void DelayData(EmulatedODrive board, int periods) => board.DelayEstimates(periods);

    /// <inheritdoc />
    protected override long LateFrames(ODriveRig rig) => rig.LateFrames;

    /// <inheritdoc />
    protected override long Stops(EmulatedODrive board) => board.IdleRequests;

    [Theory]
    [InlineData(ODriveErrors.MotorOverTemp, FaultCode.DriveBoardFault)]
    [InlineData(ODriveErrors.DrvFault, FaultCode.GateDriverFault)]
    [InlineData(ODriveErrors.CurrentLimitViolation, FaultCode.HardwareOverCurrent)]
    public void Board_error_maps_onto_our_fault_code_at_the_next_heartbeat(uint axisError, FaultCode expected)
    {
        using Armed a = Arm();
        a.Board.InjectAxisError(axisError);
        int k = TicksToTrip(a, expected, maxTicks: a.Board.HeartbeatPeriods + 1);
        Assert.InRange(k, 1, a.Board.HeartbeatPeriods + 1);
        Assert.Equal(axisError, a.Rig.AxisError);
    }

    [Fact]
    public void Heartbeat_loss_trips_rig_io_after_the_timeout_and_idles_the_board()
    {
        using Armed a = Arm();
        a.Board.HeartbeatSilent = true;   // estimates still arrive: only the heartbeat is missing
        int k = TicksToTrip(a, FaultCode.RigIo, maxTicks: 100);
        // more than heartbeat_timeout (0.05 s = 50 ticks) after the last heartbeat read, which is one every 10 ticks
        // and may still be read in the first tick (it was sent before the silence)
        Assert.InRange(k, 42, 52);
    }

    [Fact]
    public void Board_gone_silent_trips_rig_io()
    {
        using Armed a = Arm();
        a.Board.Silent = true;
        int k = TicksToTrip(a, FaultCode.RigIo, maxTicks: 100);
        // the first tick still reads what the board sent before it fell silent; then rig_failures late frames in a row
        // trip (before the heartbeat timeout)
        Assert.Equal(a.Loop.Limits.RigFailures + 1, k);
    }

    [Fact]
    public void Running_ticks_on_the_can_rig_allocate_nothing() => AssertRunningTicksAllocateNothing();
}
