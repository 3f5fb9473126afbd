namespace MotorRT.Runtime.Calibration;

/// <summary>What a DC calibration identified (SI units).</summary>
/// <param name="ArmatureResistance">R_a, in Ω.</param>
/// <param name="ArmatureInductance">L_a, in H.</param>
/// <param name="VoltageLagTicks">Ticks between a written command and its effect on the current (the rig's PWM delay, dimensionless).</param>
/// <param name="ExcitationFlux">ψ_e, in V·s.</param>
/// <param name="Inertia">Total shaft inertia J (rotor and coupled load), in kg·m².</param>
/// <param name="CoulombFriction">Constant friction torque, in N·m.</param>
/// <param name="ViscousFriction">Viscous friction coefficient, in N·m·s/rad.</param>
public sealed record DcIdentificationResult(double ArmatureResistance, double ArmatureInductance, int VoltageLagTicks,
    double ExcitationFlux, double Inertia, double CoulombFriction, double ViscousFriction);

/// <summary>The fits of <see cref="DcCalibrationProcedure"/>'s records; run between and after the phases, off the hot path.</summary>
public static class DcIdentification
{
    /// <summary>
    /// R_a and L_a from the voltage-step record, in integral form so that no differentiated or estimated speed enters:
    /// ∫u dt = R·∫i dt + L·Δi + ψ·Δθ (Δθ the encoder angle: the back-EMF of a rotor that moves during the steps),
    /// least squares over the cumulative sums, for a voltage lag of 0–2 ticks (the smallest residual wins). L is the
    /// time constant of the current rise times R.
    /// </summary>
    /// <param name="p">The procedure after its Steps phase.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="psi">The flux when known (the hold's, after the spin-up): the back-EMF term is then fixed, not fitted; NaN to fit it.</param>
    /// <param name="onlyLag">The voltage lag to use (the first fit's), or −1 to search 0–2.</param>
    public static (double R, double L, int Lag) FitArmature(DcCalibrationProcedure p, double period, double psi = double.NaN, int onlyLag = -1)
    {
        (double r, double l, int lag, _) = FitArmatureAndFlux(p, period, psi, onlyLag);
        return (r, l, lag);
    }

    /// <summary>
    /// As <see cref="FitArmature"/>, also returning the fitted back-EMF coefficient ψ of ψ·Δθ (V·s; the given one when
    /// fixed): its sign is the encoder's direction relative to the torque (negative: the encoder counts the other way).
    /// </summary>
    /// <param name="p">The procedure after its Steps phase.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="psi">The flux when known, in V·s; NaN to fit it.</param>
    /// <param name="onlyLag">The voltage lag to use, or −1 to search 0–2.</param>
    public static (double R, double L, int Lag, double Psi) FitArmatureAndFlux(DcCalibrationProcedure p, double period, double psi = double.NaN, int onlyLag = -1)
    {
        ArgumentNullException.ThrowIfNull(p);
        double[] theta = SmoothAngle(p, period);
        // The armature is one axis with the mechanical angle in the back-EMF term: the synchronous machines' axis fit.
        var record = new AxisStepRecord(p.StepCount);
        for (int k = 0; k < p.StepCount; k++)
        {
            record.U[k] = p.StepU[k];
            record.I[k] = p.StepI[k];
            record.Theta[k] = theta[k];
        }
        record.Count = p.StepCount;
        return PmsmIdentification.FitAxis(record, period, double.NaN, psi, onlyLag);
    }

    /// <summary>
    /// The step record's encoder angle without its quantisation (one count, in ψ·Δθ as large as L·Δi): per block of
    /// two step lengths, least squares on θ = a + b·t + c·t² + d·∬i dt² (the shaft's motion under the torque ψ·i and a
    /// slowly varying friction), evaluated at the samples. In rad.
    /// </summary>
    internal static double[] SmoothAngle(DcCalibrationProcedure p, double period)
    {
        int n = p.StepCount;
        var theta = new double[n];
        int block = (int)Math.Max(8, 2 * p.StepTicks(period));
        for (int start = 0; start < n; start += block)
        {
            int end = Math.Min(n, start + block);
            if (end - start < 8)
            {
                for (int k = start; k < end; k++) theta[k] = p.StepTheta[k];
                continue;
            }
            var rows = new double[end - start][];
            double i1 = 0, i2 = 0;
            var ata = new double[4, 4];
            var atb = new double[4];
            for (int k = start; k < end; k++)
            {
                if (k > start)
                {
                    double i1Next = i1 + 0.5 * (p.StepI[k - 1] + p.StepI[k]) * period;
                    i2 += 0.5 * (i1 + i1Next) * period;
                    i1 = i1Next;
                }
                double t = (k - start) * period;
                double[] row = [1, t, t * t, i2];
                rows[k - start] = row;
                Accumulate(ata, atb, row, p.StepTheta[k] - p.StepTheta[start]);
            }
            double[]? x = Solve(ata, atb);
            for (int k = start; k < end; k++)
            {
                double[] row = rows[k - start];
                theta[k] = x is null ? p.StepTheta[k] : p.StepTheta[start] + x[0] + x[1] * row[1] + x[2] * row[2] + x[3] * row[3];
            }
        }
        return theta;
    }

    /// <summary>ψ_e from the fixed-voltage hold: u − R·i = ψ·ω (mean values of the settled part).</summary>
    public static double FitFlux(DcCalibrationProcedure p, double r)
    {
        ArgumentNullException.ThrowIfNull(p);
        return (p.HoldVoltage - r * p.HoldCurrent) / p.HoldSpeed;
    }

    /// <summary>
    /// J and friction from the spin-up, hold and spin-down under known torque ψ·i, in integral form (no differentiated speed):
    /// ψ·∫i dt = J·Δω + T_c·Δt + b·∫ω dt, least squares over the decimated record.
    /// </summary>
    public static (double J, double Coulomb, double Viscous) FitMechanics(DcCalibrationProcedure p, double psi)
    {
        ArgumentNullException.ThrowIfNull(p);
        MechanicalRecord m = p.Mech;
        return PmsmIdentification.Mechanics(m.T, m.W, m.IntX, m.IntY, m.IntW, m.Count, psi, 0);
    }

    internal static void Accumulate(double[,] ata, double[] atb, double[] row, double y)
    {
        for (int r = 0; r < row.Length; r++)
        {
            atb[r] += row[r] * y;
            for (int c = 0; c < row.Length; c++) ata[r, c] += row[r] * row[c];
        }
    }

    internal static double[]? Solve(double[,] a0, double[] b0)
    {
        // Gaussian elimination with partial pivoting, after column scaling.
        int n = b0.Length;
        var a = (double[,])a0.Clone();
        var b = (double[])b0.Clone();
        var s = new double[n];
        for (int c = 0; c < n; c++) s[c] = a[c, c] > 0 ? 1 / Math.Sqrt(a[c, c]) : 1;
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++) a[r, c] *= s[r] * s[c];
            b[r] *= s[r];
        }
        for (int c = 0; c < n; c++)
        {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[piv, c])) piv = r;
            if (Math.Abs(a[piv, c]) < 1e-14) return null;
            if (piv != c)
            {
                for (int k = 0; k < n; k++) (a[c, k], a[piv, k]) = (a[piv, k], a[c, k]);
                (b[c], b[piv]) = (b[piv], b[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int k = c; k < n; k++) a[r, k] -= f * a[c, k];
                b[r] -= f * b[c];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double v = b[r];
            for (int k = r + 1; k < n; k++) v -= a[r, k] * x[k];
            x[r] = v / a[r, r];
        }
        for (int r = 0; r < n; r++) x[r] *= s[r];
        return x;
    }
}
