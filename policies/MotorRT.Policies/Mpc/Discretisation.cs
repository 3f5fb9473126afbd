using MathNet.Numerics.LinearAlgebra;

namespace MotorRT.Policies.Mpc;

/// <summary>
/// Exact zero-order-hold discretisation and the discrete algebraic Riccati equation, the two pieces of linear-systems
/// algebra the explicit-MPC builder needs (load-time/offline code).
/// </summary>
public static class Discretisation
{
    /// <summary>
    /// The matrix exponential e^M by scaling and squaring with a degree-13 Padé approximant (Higham 2005, the algorithm
    /// of MATLAB's expm and scipy.linalg.expm); accurate to machine precision for the small, well-scaled matrices here.
    /// </summary>
    public static Matrix<double> Expm(Matrix<double> m)
    {
        int n = m.RowCount;
        double norm = m.L1Norm();
        int s = norm > 5.371920351148152 ? Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / 5.371920351148152))) : 0;
        Matrix<double> a = m / Math.Pow(2, s);
        double[] b =
        [
            64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
            670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
        ];
        Matrix<double> id = Matrix<double>.Build.DenseIdentity(n);
        Matrix<double> a2 = a * a, a4 = a2 * a2, a6 = a4 * a2;
        Matrix<double> u = a * (a6 * (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * id);
        Matrix<double> v = a6 * (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * id;
        Matrix<double> r = (v - u).Solve(v + u);
        for (int i = 0; i < s; i++) r *= r;
        return r;
    }

    /// <summary>
    /// Exact ZOH discretisation of dx/dt = A·x + B·u (inputs held over the period T): e^{[[A, B], [0, 0]]·T} =
    /// [[A_d, B_d], [0, I]] (Van Loan's block form), so B_d = ∫₀ᵀ e^{Aτ} dτ·B without inverting A.
    /// </summary>
    /// <param name="a">State matrix (n × n), SI units per second.</param>
    /// <param name="b">Input matrix (n × m); the inputs may include measured disturbances held constant.</param>
    /// <param name="period">Sampling period T, in s.</param>
    public static (Matrix<double> Ad, Matrix<double> Bd) ZeroOrderHold(Matrix<double> a, Matrix<double> b, double period)
    {
        int n = a.RowCount, m = b.ColumnCount;
        var block = Matrix<double>.Build.Dense(n + m, n + m);
        block.SetSubMatrix(0, 0, a * period);
        block.SetSubMatrix(0, n, b * period);
        Matrix<double> e = Expm(block);
        return (e.SubMatrix(0, n, 0, n), e.SubMatrix(0, n, n, m));
    }

    /// <summary>
    /// The stabilising solution P of the discrete algebraic Riccati equation
    /// P = AᵀPA − AᵀPB(R + BᵀPB)⁻¹BᵀPA + Q by the structured doubling algorithm (quadratic convergence, robust for
    /// modes near the unit circle such as a mechanical integrator). P is the infinite-horizon cost-to-go of the LQR, the
    /// terminal weight that makes a finite-horizon MPC equal the LQR wherever no constraint is active.
    /// </summary>
    public static Matrix<double> Dare(Matrix<double> a, Matrix<double> b, Matrix<double> q, Matrix<double> r)
    {
        int n = a.RowCount;
        Matrix<double> id = Matrix<double>.Build.DenseIdentity(n);
        Matrix<double> ak = a.Clone();
        Matrix<double> gk = b * r.Solve(b.Transpose());
        Matrix<double> hk = q.Clone();
        for (int it = 0; it < 200; it++)
        {
            Matrix<double> w = id + gk * hk;
            Matrix<double> wA = w.Solve(ak);
            Matrix<double> wG = w.Solve(gk);
            Matrix<double> hNext = hk + ak.Transpose() * hk * wA;
            gk = gk + ak * wG * ak.Transpose();
            ak = ak * wA;
            double change = (hNext - hk).FrobeniusNorm();
            hk = 0.5 * (hNext + hNext.Transpose());
            if (change <= 1e-14 * Math.Max(1.0, hk.FrobeniusNorm())) break;
        }
        return hk;
    }
}
