using MotorRT.Sim.Solvers;

namespace MotorRT.Sim.Motors;

/// <summary>
/// One machine's electrical model on the shared ODE vector: y[0] = ω (rad/s), y[1] = θ (mechanical angle, rad),
/// y[2..] = the machine's own states (currents, fluxes, ε) in GEM's order. Implemented by structs so a plant is a
/// fully specialised generic type (no virtual calls inside the right-hand side).
/// </summary>
public interface IMotorModel
{
    /// <summary>Number of the machine's own ODE states (after ω and θ).</summary>
    int StateCount { get; }

    /// <summary>Number of converter channels the machine takes (currents out, voltages in).</summary>
    int ChannelCount { get; }

    /// <summary>GEM's state names of the physical system, in order (omega, torque, currents, voltages, [epsilon], u_sup).</summary>
    string[] StateNames { get; }

    /// <summary>The converter-side currents (A) for the present state (GEM's i_in; AC: phase currents from the ODE angle).</summary>
    void ChannelCurrents(in Vec8 y, ref Vec6 iIn);

    /// <summary>
    /// Turns converter voltages (V, GEM's u_in) into the ODE inputs held over the next interval (DC: as is; synchronous
    /// machines: u_dq at the present ε; induction machines: u_αβ). Returns the frame angle used (rad; 0 for DC).
    /// </summary>
    double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u);

    /// <summary>Writes the derivatives of the machine's states into dy[2..] (ω from y[0]).</summary>
    void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy);

    /// <summary>Electromagnetic torque in N·m.</summary>
    double Torque(in Vec8 y);

    /// <summary>Keeps the current of an open phase/circuit at zero: removes that component from the derivatives.</summary>
    void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy);

    /// <summary>Sets the current of an open phase/circuit to zero in the state (applied at the start of a step).</summary>
    void ConstrainState(int openPhase, ref Vec8 y);

    /// <summary>
    /// Writes GEM's state vector (SI, <see cref="StateNames"/> order) and the typed outputs after a step.
    /// <paramref name="frameAngle"/> is the angle returned by the last <see cref="Inputs"/> call (GEM reports i_abc and
    /// u_dq with the angle at the start of the last interval).
    /// </summary>
    void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> state, ref PlantOutputs o);

    /// <summary>GEM's state vector right after reset (zero currents; converter's reset voltages), and the outputs.</summary>
    void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> state, ref PlantOutputs o);
}
