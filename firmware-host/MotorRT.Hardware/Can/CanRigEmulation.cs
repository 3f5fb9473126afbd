using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Hardware.Can;

/// <summary>
/// The composition steps the CAN rig kinds (<c>"odrive"</c>, <c>"moteus"</c>) share for <c>"emulate": true</c>: the
/// plant of the <c>sim</c> sub-section built through the registry, the emulated board on one end of an in-process
/// socket pair, and the check that <c>inner_steps</c> plant periods make one loop period (1 / <c>frequency_hz</c>).
/// Errors name the section's field; whatever was built is disposed when a step fails.
/// </summary>
internal static class CanRigEmulation
{
    /// <summary>Builds the plant behind the emulated board from the <c>sim</c> sub-section of <paramref name="rig"/>.</summary>
    /// <param name="request">The rig request (registry, sensors).</param>
    /// <param name="rig">The rig section.</param>
    /// <param name="board">The board's name in messages ("ODrive", "moteus").</param>
    /// <returns>The plant, with its simulated machine (<see cref="RigBuild.PlantMotor"/> not null).</returns>
    public static RigBuild CreatePlant(RigRequest request, RawSection rig, string board)
    {
        if (request.Kinds.Find("sim") is null)
        {
            throw rig.Error("emulate", $"the emulated {board} needs the simulation twin, which this program does not include",
                "use 'motorrt simulate' for \"emulate\": true, or set it to false on the rig");
        }
        RawSection sim = rig.Optional("sim")
            ?? throw rig.Error("sim", "required field is missing", "add \"sim\": { \"type\": \"sim\" } (the twin behind the emulated board)");
        RigBuild plant = request.Kinds.Create(request with { Section = sim });
        if (plant.PlantMotor is null)
        {
            plant.Rig.Dispose();
            throw rig.Error("sim", $"the rig behind the emulated {board} has no simulated machine", "use { \"type\": \"sim\" } with a plant section");
        }
        return plant;
    }

    /// <summary>
    /// Builds the emulated board over the device end of a new socket pair, with <paramref name="plant"/> behind it, and
    /// checks the loop period; returns the host end for the rig.
    /// </summary>
    /// <param name="rig">The rig section (errors name its fields).</param>
    /// <param name="plant">The plant from <see cref="CreatePlant"/> (owned by the board once it is built).</param>
    /// <param name="innerSteps">The section's <c>inner_steps</c>.</param>
    /// <param name="frequencyHz">The section's <c>frequency_hz</c>, in Hz.</param>
    /// <param name="createBoard">Builds the board over the device end (throws <see cref="ArgumentException"/> for a plant it cannot drive).</param>
    /// <param name="board">The board built.</param>
    /// <param name="loopPeriod">The loop period, <paramref name="innerSteps"/> plant periods, in s.</param>
    public static SocketCanTransport CreateBoard<TBoard>(RawSection rig, RigBuild plant, int innerSteps, double frequencyHz,
        Func<SocketCanTransport, TBoard> createBoard, out TBoard board, out double loopPeriod) where TBoard : IDisposable
    {
        var (host, device) = SocketCanTransport.CreatePair();
        try
        {
            board = createBoard(device);
        }
        catch (ArgumentException e)
        {
            host.Dispose();
            device.Dispose();
            plant.Rig.Dispose();
            throw rig.Error("sim", e.Message, "use a permanently excited DC plant (e.g. \"preset\": \"Cont-CC-PermExDc-v0\")");
        }
        loopPeriod = plant.Rig.Description.PwmPeriod * innerSteps;
        if (Math.Abs(loopPeriod * frequencyHz - 1.0) > 1e-9)
        {
            board.Dispose();
            host.Dispose();
            throw rig.Error("inner_steps", $"{innerSteps} plant periods of {plant.Rig.Description.PwmPeriod:G6} s make {loopPeriod:G6} s, not 1 / frequency_hz = {1.0 / frequencyHz:G6} s",
                "make frequency_hz = 1 / (plant tau × rig.sim.sub_steps × inner_steps)");
        }
        return host;
    }
}
