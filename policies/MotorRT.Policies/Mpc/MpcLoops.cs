using MathNet.Numerics.LinearAlgebra;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Mpc;

/// <summary>Which loop <see cref="MpcLoops.Spec"/> builds.</summary>
public enum MpcLoop
{
    /// <summary>DC armature current: x = i, u = armature voltage, d = ω (back-EMF ψ_e·ω); θ = (i, i*, ω[, u₋₁]).</summary>
    DcCurrent,

    /// <summary>DC speed: x = (i, ω), u = armature voltage, shaft inertia of the rotor; θ = (i, ω, ω*[, u₋₁]).</summary>
    DcSpeed,

    /// <summary>PMSM/SynRM dq current: x = (i_d, i_q), u = (u_d, u_q), d = coupling voltages (e_d, e_q); θ = (i_d, i_q, i_d*, i_q*, e_d, e_q[, u_d₋₁, u_q₋₁]).</summary>
    DqCurrent,
}

/// <summary>The input set of the MPC.</summary>
public enum MpcInputSet
{
    /// <summary>A box: |u| ≤ U per input (DC: U = supply voltage; dq: U = u_dc/√6, the box inside the SVM circle).</summary>
    Box,

    /// <summary>
    /// dq only: the regular hexagon of circumradius u_dc/√3 in the dq plane — the largest regular hexagon that lies
    /// inside the B6 voltage hexagon at every rotor angle (its vertices touch the hexagon's inscribed circle), 30 % more
    /// area than the box.
    /// </summary>
    Hexagon,
}

/// <summary>Options of an explicit MPC built by <see cref="MpcLoops.Spec"/> (all SI units).</summary>
public sealed record MpcOptions
{
    /// <summary>The loop.</summary>
    public required MpcLoop Loop { get; init; }

    /// <summary>Horizon N in steps. Default 5.</summary>
    public int Horizon { get; init; } = 5;

    /// <summary>Weight on the squared tracked error (current in 1/A², speed in 1/(rad/s)²). Default 1.</summary>
    public double TrackingWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight on the squared input deviation from its steady state, 1/V². Default null: b² per input (b the discrete
    /// input gain of the current, A/V), about half the deadbeat gain; for the speed loop the same on the current dynamics.
    /// </summary>
    public double? InputWeight { get; init; }

    /// <summary>Speed loop: weight on the squared current deviation, 1/A². Default 1e-4.</summary>
    public double CurrentWeight { get; init; } = 1e-4;

    /// <summary>Δu formulation with this weight on the squared increment, 1/V²; θ gains the previous command. Default null: u formulation.</summary>
    public double? DeltaWeight { get; init; }

    /// <summary>Input set. Default <see cref="MpcInputSet.Box"/>.</summary>
    public MpcInputSet InputSet { get; init; } = MpcInputSet.Box;

    /// <summary>Supply (DC-link) voltage, V.</summary>
    public required double SupplyVoltage { get; init; }

    /// <summary>State constraint |i| ≤ this on the predicted currents (every axis), A; null: none.</summary>
    public double? CurrentLimit { get; init; }

    /// <summary>Half-width of the measured-current box, A.</summary>
    public required double CurrentRange { get; init; }

    /// <summary>Half-width of the current-reference box, A (current loops).</summary>
    public required double ReferenceRange { get; init; }

    /// <summary>Largest mechanical speed, rad/s (back-EMF box; speed and speed-reference box of the speed loop).</summary>
    public required double SpeedRange { get; init; }

    /// <summary>Region cap of the exploration (count); a law cut short there is incomplete. Default 20000.</summary>
    public int MaxRegions { get; init; } = 20000;
}

/// <summary>The MPC specifications of the drive's loops, from the machine parameters (GEM's equations, see MODELS.md).</summary>
public static class MpcLoops
{
    /// <summary>The specification, the output meaning and the output clip of the loop.</summary>
    public static (LinearMpcSpec Spec, PwaOutputMeaning Meaning, double[] OutMin, double[] OutMax) Spec(MotorParameters motor, double period, MpcOptions o)
    {
        var M = Matrix<double>.Build;
        var V = Vector<double>.Build;
        bool dq = o.Loop == MpcLoop.DqCurrent;
        if (dq != motor.Type is MotorType.Pmsm or MotorType.SynRm)
        {
            throw new ArgumentException(dq ? $"the dq current MPC needs a PMSM or SynRM, not {motor.Type}" : $"the {o.Loop} MPC needs a permanently excited DC machine, not {motor.Type}");
        }
        if (!dq && motor.Type != MotorType.PermanentlyExcitedDc)
        {
            throw new ArgumentException($"the DC MPC models a permanently excited DC machine (linear), not {motor.Type}");
        }
        if (o.InputSet == MpcInputSet.Hexagon && !dq) throw new ArgumentException("the voltage hexagon is for the dq loop of a B6 bridge");
        int nu = dq ? 2 : 1;
        double limit = dq ? (o.InputSet == MpcInputSet.Hexagon ? o.SupplyVoltage / Math.Sqrt(3) : o.SupplyVoltage / Math.Sqrt(6)) : o.SupplyVoltage;
        Matrix<double> a, b, e, c, q;
        var ps = new List<PwaParameter>();
        double[] gains;
        if (o.Loop == MpcLoop.DcCurrent)
        {
            double r = motor.ArmatureResistance, l = motor.ArmatureInductance, psi = motor.ExcitationFlux;
            a = M.DenseOfArray(new[,] { { -r / l } });
            b = M.DenseOfArray(new[,] { { 1 / l } });
            e = M.DenseOfArray(new[,] { { -psi / l } });
            c = M.DenseOfArray(new[,] { { 1.0 } });
            q = M.DenseOfArray(new[,] { { o.TrackingWeight } });
            gains = [InputGain(r, l, period)];
            ps.Add(new(ObservationQuantity.CurrentA, -o.CurrentRange, o.CurrentRange));
            ps.Add(new(ObservationQuantity.ReferenceCurrentD, -o.ReferenceRange, o.ReferenceRange));
            ps.Add(new(ObservationQuantity.MechanicalSpeed, -o.SpeedRange, o.SpeedRange));
        }
        else if (o.Loop == MpcLoop.DcSpeed)
        {
            double r = motor.ArmatureResistance, l = motor.ArmatureInductance, psi = motor.ExcitationFlux, j = motor.RotorInertia;
            a = M.DenseOfArray(new[,] { { -r / l, -psi / l }, { psi / j, 0 } });
            b = M.DenseOfArray(new[,] { { 1 / l }, { 0 } });
            e = M.Dense(2, 0);
            c = M.DenseOfArray(new[,] { { 0.0, 1.0 } });
            q = M.DenseOfArray(new[,] { { o.CurrentWeight, 0 }, { 0, o.TrackingWeight } });
            gains = [InputGain(r, l, period)];
            ps.Add(new(ObservationQuantity.CurrentA, -o.CurrentRange, o.CurrentRange));
            ps.Add(new(ObservationQuantity.MechanicalSpeed, -1.05 * o.SpeedRange, 1.05 * o.SpeedRange));
            ps.Add(new(ObservationQuantity.ReferenceSpeed, -o.SpeedRange, o.SpeedRange));
        }
        else
        {
            double r = motor.StatorResistance, ld = motor.InductanceD, lq = motor.InductanceQ;
            a = M.DenseOfArray(new[,] { { -r / ld, 0 }, { 0, -r / lq } });
            b = M.DenseOfArray(new[,] { { 1 / ld, 0 }, { 0, 1 / lq } });
            e = M.DenseOfArray(new[,] { { -1 / ld, 0 }, { 0, -1 / lq } });
            c = M.DenseIdentity(2);
            q = o.TrackingWeight * M.DenseIdentity(2);
            gains = [InputGain(r, ld, period), InputGain(r, lq, period)];
            double wEl = o.SpeedRange * motor.PolePairs;
            double edMax = wEl * lq * o.CurrentRange;
            double eqMax = wEl * (ld * o.CurrentRange + motor.PermanentMagnetFlux);
            ps.Add(new(ObservationQuantity.CurrentD, -o.CurrentRange, o.CurrentRange));
            ps.Add(new(ObservationQuantity.CurrentQ, -o.CurrentRange, o.CurrentRange));
            ps.Add(new(ObservationQuantity.ReferenceCurrentD, -o.ReferenceRange, o.ReferenceRange));
            ps.Add(new(ObservationQuantity.ReferenceCurrentQ, -o.ReferenceRange, o.ReferenceRange));
            ps.Add(new(ObservationQuantity.CouplingVoltageD, -edMax, edMax));
            ps.Add(new(ObservationQuantity.CouplingVoltageQ, -eqMax, eqMax));
        }
        Matrix<double> rw = M.DenseOfDiagonalArray(gains.Select(g => o.InputWeight ?? g * g * o.TrackingWeight * (o.Loop == MpcLoop.DcSpeed ? 1e-4 : 1)).ToArray());
        if (o.DeltaWeight is not null)
        {
            ps.Add(new(ObservationQuantity.LastVoltageD, -1.2 * limit, 1.2 * limit));
            if (dq) ps.Add(new(ObservationQuantity.LastVoltageQ, -1.2 * limit, 1.2 * limit));
        }
        Matrix<double> inRows;
        Vector<double> inLimits;
        if (o.InputSet == MpcInputSet.Hexagon)
        {
            // Facet normals at 30° + k·60°, apothem = circumradius·cos 30°.
            inRows = M.Dense(6, 2);
            for (int k = 0; k < 6; k++)
            {
                double ang = Math.PI / 6 + k * Math.PI / 3;
                inRows[k, 0] = Math.Cos(ang);
                inRows[k, 1] = Math.Sin(ang);
            }
            inLimits = V.Dense(6, limit * Math.Cos(Math.PI / 6));
        }
        else
        {
            inRows = M.Dense(2 * nu, nu);
            for (int i = 0; i < nu; i++) { inRows[2 * i, i] = 1; inRows[2 * i + 1, i] = -1; }
            inLimits = V.Dense(2 * nu, limit);
        }
        Matrix<double>? stRows = null;
        Vector<double>? stLimits = null;
        if (o.CurrentLimit is { } iLim)
        {
            int nx = a.RowCount;
            int axes = dq ? 2 : 1;
            stRows = M.Dense(2 * axes, nx);
            for (int i = 0; i < axes; i++) { stRows[2 * i, i] = 1; stRows[2 * i + 1, i] = -1; }
            stLimits = V.Dense(2 * axes, iLim);
        }
        var spec = new LinearMpcSpec
        {
            A = a, B = b, E = e, C = c, Period = period, Horizon = o.Horizon, Q = q, R = rw,
            DeltaWeight = o.DeltaWeight is { } dw ? dw * M.DenseIdentity(nu) : null,
            InputRows = inRows, InputLimits = inLimits, StateRows = stRows, StateLimits = stLimits, Parameters = ps,
        };
        double[] lo = Enumerable.Repeat(-limit, nu).ToArray(), hi = Enumerable.Repeat(limit, nu).ToArray();
        return (spec, dq ? PwaOutputMeaning.VoltageDq : PwaOutputMeaning.VoltageDc, lo, hi);
    }

    /// <summary>Builds the loop's MPC, solves it by facet exploration and returns the law (named <paramref name="source"/>).</summary>
    public static ExplicitMpc Build(MotorParameters motor, double period, MpcOptions options, string source)
    {
        var (spec, meaning, lo, hi) = Spec(motor, period, options);
        LinearMpcProblem problem = LinearMpc.Build(spec);
        MpQpSolution solution = MpQpExplorer.Solve(problem.Qp, options.MaxRegions);
        return new ExplicitMpc(problem, solution, LinearMpc.ToLaw(problem, solution, spec.Parameters, meaning, lo, hi, source));
    }

    /// <summary>Discrete input gain b = (1 − e^{−rT/l})/r of a first-order RL circuit, A/V.</summary>
    private static double InputGain(double r, double l, double period) => r > 0 ? (1 - Math.Exp(-r * period / l)) / r : period / l;
}
