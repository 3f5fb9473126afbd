namespace MotorRT.Runtime.Calibration;

/// <summary>What a PMSM calibration identified (SI units).</summary>
/// <param name="StatorResistance">R_s, in Ω.</param>
/// <param name="InductanceD">L_d, in H.</param>
/// <param name="InductanceQ">L_q, in H.</param>
/// <param name="VoltageLagTicks">Ticks between a written command and its effect on the current (the rig's PWM delay, dimensionless).</param>
/// <param name="PermanentMagnetFlux">ψ_p, in V·s.</param>
/// <param name="PolePairs">Pole pairs p (dimensionless, an integer).</param>
/// <param name="ElectricalAngleOffset">Electrical angle of the d-axis at encoder count zero, in rad in [−π, π): the value of <c>sensors.encoder.electrical_angle_offset</c>.</param>
/// <param name="Inertia">Total shaft inertia J (rotor and coupled load), in kg·m².</param>
/// <param name="CoulombFriction">Constant friction torque, in N·m.</param>
/// <param name="ViscousFriction">Viscous friction coefficient, in N·m·s/rad.</param>
public sealed record PmsmIdentificationResult(double StatorResistance, double InductanceD, double InductanceQ, int VoltageLagTicks,
    double PermanentMagnetFlux, int PolePairs, double ElectricalAngleOffset, double Inertia, double CoulombFriction, double ViscousFriction);

/// <summary>
/// One axis' voltage-step record, one row per tick: the voltage the procedure wrote one tick before the sample, the
/// axis current, the unwrapped electrical angle and a known voltage integral (cross-coupling terms) to subtract.
/// </summary>
public sealed class AxisStepRecord
{
    /// <summary>Creates an empty record of <paramref name="capacity"/> rows.</summary>
    public AxisStepRecord(int capacity)
    {
        U = new double[capacity];
        I = new double[capacity];
        Theta = new double[capacity];
        Known = new double[capacity];
    }

    /// <summary>Voltage written one tick before the sample (axis component), in V.</summary>
    public double[] U { get; }

    /// <summary>Axis current at the sample, in A.</summary>
    public double[] I { get; }

    /// <summary>Unwrapped angle of the back-EMF term at the sample, in rad: electrical (synchronous machines), mechanical (DC: ψ_e·dθ/dt).</summary>
    public double[] Theta { get; }

    /// <summary>Cumulative known voltage integral up to the sample (cross-coupling flux terms the fit subtracts), in V·s.</summary>
    public double[] Known { get; }

    /// <summary>Rows filled.</summary>
    public int Count { get; set; }

    /// <summary>Appends one row (drops it when full); no allocation.</summary>
    public void Add(double u, double i, double theta, double known)
    {
        if (Count >= U.Length) return;
        U[Count] = u;
        I[Count] = i;
        Theta[Count] = theta;
        Known[Count] = known;
        Count++;
    }
}

/// <summary>The fits of PMSM calibration records; run between and after the phases, off the hot path.</summary>
public static class PmsmIdentification
{
    /// <summary>
    /// R and L of one rotor axis from its voltage-step record, in integral form (no differentiated quantity):
    /// ∫u dt − K = R·∫i dt + L·Δi + ψ·Δθ, K the known cross-coupling integral and θ the electrical angle (the back-EMF
    /// of a rotor that moves during the steps; its coefficient is the flux the axis sees). Least squares over the
    /// cumulative sums for a voltage lag of 0–2 ticks, the lag judged on the per-tick residual.
    /// </summary>
    /// <param name="s">The record.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="r">R when known (then fixed), in Ω; NaN to fit it.</param>
    /// <param name="psi">The back-EMF flux when known (then fixed), in V·s; NaN to fit it; 0 for a locked rotor (d-axis).</param>
    /// <param name="onlyLag">The voltage lag to use, or −1 to search 0–2.</param>
    /// <returns>R (Ω), L (H), the lag (ticks) and the flux (V·s); NaN when the fit failed.</returns>
    public static (double R, double L, int Lag, double Psi) FitAxis(AxisStepRecord s, double period, double r = double.NaN, double psi = double.NaN, int onlyLag = -1)
    {
        ArgumentNullException.ThrowIfNull(s);
        bool fixedR = double.IsFinite(r), fixedPsi = double.IsFinite(psi);
        double bestRes = double.PositiveInfinity;
        (double R, double L, int Lag, double Psi) best = (double.NaN, double.NaN, 0, double.NaN);
        for (int lag = 0; lag <= 2; lag++)
        {
            if (onlyLag >= 0 && lag != onlyLag) continue;
            var ata = new double[3, 3];
            var atb = new double[3];
            var rows = new List<(double[] X, double Y)>();
            double y = 0, xi = 0;
            int k0 = lag + 1;
            // U[k] is the voltage written one tick before sample k; the one acting over [k, k+1] is U[k + 1 − lag].
            for (int k = k0; k + 1 < s.Count; k++)
            {
                y += s.U[k + 1 - lag] * period;
                xi += 0.5 * (s.I[k] + s.I[k + 1]) * period;
                double dTheta = s.Theta[k + 1] - s.Theta[k0];
                double yk = y - (s.Known[k + 1] - s.Known[k0]);
                if (fixedR) yk -= r * xi;
                if (fixedPsi) yk -= psi * dTheta;
                double[] row = [fixedR ? 0 : xi, s.I[k + 1] - s.I[k0], fixedPsi ? 0 : dTheta];
                DcIdentification.Accumulate(ata, atb, row, yk);
                rows.Add((row, yk));
            }
            if (rows.Count < 10) continue;
            if (fixedR) ata[0, 0] = 1;
            if (fixedPsi) ata[2, 2] = 1;
            double[]? x = DcIdentification.Solve(ata, atb);
            if (x is null) continue;
            double res = 0, ePrev = 0;
            foreach ((double[] row, double yy) in rows)
            {
                double e = yy - (x[0] * row[0] + x[1] * row[1] + x[2] * row[2]);
                res += (e - ePrev) * (e - ePrev);
                ePrev = e;
            }
            double rr = fixedR ? r : x[0];
            if (res < bestRes && rr > 0 && x[1] > 0)
            {
                bestRes = res;
                best = (rr, x[1], lag, fixedPsi ? psi : x[2]);
            }
        }
        return best;
    }

    /// <summary>
    /// Pole pairs and encoder direction from a rotation of the voltage vector through <paramref name="electricalAngle"/>
    /// (rad, positive) that the rotor followed: p = 2π·N / |Δθ_mech|, rounded; 0 when the ratio is not within 5 % (at most 0.25) of an
    /// integer (the rotor slipped or did not follow). The direction is the sign of Δθ_mech (+1: the encoder counts the
    /// way the field turns).
    /// </summary>
    /// <param name="electricalAngle">Angle the commanded vector turned through, in rad.</param>
    /// <param name="mechanicalDelta">Encoder angle change over the rotation, in rad.</param>
    public static (int PolePairs, int Direction) PolePairsAndDirection(double electricalAngle, double mechanicalDelta)
    {
        if (!(Math.Abs(mechanicalDelta) > 1e-9) || !(electricalAngle > 0)) return (0, 0);
        double ratio = electricalAngle / Math.Abs(mechanicalDelta);
        double p = Math.Round(ratio);
        int direction = mechanicalDelta > 0 ? 1 : -1;
        return p >= 1 && Math.Abs(ratio - p) <= Math.Min(0.05 * p, 0.25) ? ((int)p, direction) : (0, direction);
    }

    /// <summary>
    /// Electrical angle offset from rotor alignments: with the d-axis aligned to commanded angle φ_k at encoder angle
    /// θ_k, offset = φ_k − p·θ_k; the circular mean over the alignments, wrapped to [−π, π), in rad.
    /// </summary>
    /// <param name="commanded">Commanded voltage-vector angles φ_k, in rad.</param>
    /// <param name="mechanical">Encoder mechanical angles θ_k at the aligned rotor, in rad (encoder direction already applied).</param>
    /// <param name="polePairs">Pole pairs p.</param>
    public static double AngleOffset(ReadOnlySpan<double> commanded, ReadOnlySpan<double> mechanical, int polePairs)
    {
        double s = 0, c = 0;
        for (int k = 0; k < commanded.Length && k < mechanical.Length; k++)
        {
            (double sk, double ck) = Math.SinCos(commanded[k] - polePairs * mechanical[k]);
            s += sk;
            c += ck;
        }
        return MotorRT.Contracts.SpaceVector.WrapToPi(Math.Atan2(s, c));
    }

    /// <summary>ψ_p from a constant-speed hold: u_q = R·i_q + ω_el·(L_d·i_d + ψ_p), mean values of the settled part, in V·s.</summary>
    /// <param name="uq">Mean q voltage, in V.</param>
    /// <param name="iq">Mean q current, in A.</param>
    /// <param name="id">Mean d current, in A.</param>
    /// <param name="omegaEl">Mean electrical speed, in rad/s.</param>
    /// <param name="r">R_s, in Ω.</param>
    /// <param name="ld">L_d, in H.</param>
    public static double Flux(double uq, double iq, double id, double omegaEl, double r, double ld) => (uq - r * iq) / omegaEl - ld * id;

    /// <summary>
    /// ψ_p from a speed hold in integral form (the window need not be perfectly steady):
    /// ∫u_q dt = R·∫i_q dt + L_q·Δi_q + L_d·∫i_d dθ_el + ψ_p·Δθ_el, in V·s.
    /// </summary>
    /// <param name="intUq">∫u_q dt over the window, in V·s.</param>
    /// <param name="intIq">∫i_q dt, in A·s.</param>
    /// <param name="deltaIq">i_q(end) − i_q(start), in A.</param>
    /// <param name="intIdDTheta">∫i_d dθ_el, in A·rad.</param>
    /// <param name="deltaTheta">Δθ_el over the window, in rad.</param>
    /// <param name="r">R_s, in Ω.</param>
    /// <param name="ld">L_d, in H.</param>
    /// <param name="lq">L_q, in H.</param>
    public static double FluxFromHold(double intUq, double intIq, double deltaIq, double intIdDTheta, double deltaTheta, double r, double ld, double lq) =>
        (intUq - r * intIq - lq * deltaIq - ld * intIdDTheta) / deltaTheta;

    /// <summary>
    /// J and friction from speed steps under known torque T = 1.5·p·(ψ·i_q + (L_d − L_q)·i_d·i_q), in integral form (no
    /// differentiated speed): ∫T dt = J·Δω + T_c·Δt + b·∫ω dt, least squares over the decimated record.
    /// </summary>
    /// <param name="t">Time, in s.</param>
    /// <param name="w">Mechanical speed, in rad/s.</param>
    /// <param name="intIq">∫i_q dt, in A·s.</param>
    /// <param name="intIdIq">∫i_d·i_q dt, in A²·s.</param>
    /// <param name="intW">∫ω dt, in rad.</param>
    /// <param name="count">Rows used.</param>
    /// <param name="polePairs">p.</param>
    /// <param name="psi">ψ_p, in V·s.</param>
    /// <param name="ld">L_d, in H.</param>
    /// <param name="lq">L_q, in H.</param>
    public static (double J, double Coulomb, double Viscous) Mechanics(ReadOnlySpan<double> t, ReadOnlySpan<double> w, ReadOnlySpan<double> intIq, ReadOnlySpan<double> intIdIq,
        ReadOnlySpan<double> intW, int count, int polePairs, double psi, double ld, double lq) =>
        Mechanics(t, w, intIq, intIdIq, intW, count, 1.5 * polePairs * psi, 1.5 * polePairs * (ld - lq));

    /// <summary>The synchronous machine's J and friction from its procedure's speed-step record.</summary>
    internal static (double J, double Coulomb, double Viscous) Mechanics(MechanicalRecord m, int polePairs, double psi, double ld, double lq) =>
        Mechanics(m.T, m.W, m.IntX, m.IntY, m.IntW, m.Count, polePairs, psi, ld, lq);

    /// <summary>
    /// J and friction under the torque T = k_x·x + k_y·y of the recorded currents (DC: ψ_e·i_a; AC: as above), in
    /// integral form: k_x·∫x dt + k_y·∫y dt = J·Δω + T_c·Δt + b·∫ω dt, least squares over the record.
    /// </summary>
    internal static (double J, double Coulomb, double Viscous) Mechanics(ReadOnlySpan<double> t, ReadOnlySpan<double> w, ReadOnlySpan<double> intX, ReadOnlySpan<double> intY,
        ReadOnlySpan<double> intW, int count, double kx, double ky)
    {
        var ata = new double[3, 3];
        var atb = new double[3];
        for (int k = 1; k < count; k++)
        {
            double[] row = [w[k] - w[0], t[k] - t[0], intW[k] - intW[0]];
            double torque = kx * (intX[k] - intX[0]) + ky * (intY[k] - intY[0]);
            DcIdentification.Accumulate(ata, atb, row, torque);
        }
        double[]? x = DcIdentification.Solve(ata, atb);
        return x is null ? (double.NaN, double.NaN, double.NaN) : (x[0], x[1], x[2]);
    }
}
