using MotorRT.Policies.Mpc;
using MotorRT.Policies.Pwa;
using Xunit.Abstractions;

namespace MotorRT.Policies.Tests;

public class YannNetworkTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3, true)]
    [InlineData(5, false)]
    public void TheReluNetworkEqualsTheLawInDoublePrecision(int horizon, bool stateConstraint)
    {
        var (_, _, law) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, MpcBuildTests.AnchorOptions(horizon) with { CurrentLimit = stateConstraint ? 200 : null }, "test");
        YannNetwork net = YannNetwork.Build(law);
        double maxM = 0;
        for (int r = 0; r < law.RegionCount; r++) maxM = Math.Max(maxM, net.BigM[r, 0]);
        output.WriteLine($"{law.RegionCount} regions, {net.Layers.Count} layers ({string.Join("-", net.Layers.Select(l => l.Outputs))}), {net.LinearPrograms} LPs, largest M {maxM:G4} V per unit distance");
        var rng = new Random(4);
        var u = new double[1];
        double worst = 0;
        int checkedPoints = 0;
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        for (int i = 0; i < 20000; i++)
        {
            double[] t = [.. Enumerable.Range(0, 3).Select(j => lo[j] + (hi[j] - lo[j]) * rng.NextDouble())];
            if (law.Evaluate(t, u, true, out _) < 0) continue;
            checkedPoints++;
            worst = Math.Max(worst, Math.Abs(net.Evaluate(t)[0] - u[0]));
        }
        output.WriteLine($"max |Δu| = {worst:E2} V at {checkedPoints} points");
        Assert.True(checkedPoints > 15000);
        Assert.True(worst < 1e-8, $"max |Δu| {worst}");
        Assert.True(maxM > 0);
    }
}
