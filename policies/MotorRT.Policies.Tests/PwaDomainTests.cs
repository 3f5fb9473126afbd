using System.Globalization;
using System.Text;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Mpc;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Tests;

public class PwaDomainTests
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Row(double[] v) => "[" + string.Join(",", v.Select(N)) + "]";

    /// <summary>The state-constrained DC current MPC (|i| ≤ 200 A) as PPOPT writes its critical regions.</summary>
    private static (string Json, PwaLaw Reference) PpoptStateConstrained()
    {
        var (_, solution, law) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, MpcBuildTests.AnchorOptions(3), "reference");
        var sb = new StringBuilder("{ \"critical_regions\": [");
        for (int r = 0; r < solution.Regions.Count; r++)
        {
            CriticalRegion cr = solution.Regions[r];
            sb.Append(r > 0 ? "," : "").Append("{ \"E\": [").Append(string.Join(",", cr.E.ToRowArrays().Select(Row))).Append("], \"f\": [")
              .Append(string.Join(",", cr.Fv.Select(v => $"[{N(v)}]"))).Append("], \"A\": [").Append(string.Join(",", cr.A.ToRowArrays().Select(Row)))
              .Append("], \"b\": [").Append(string.Join(",", cr.B.Select(v => $"[{N(v)}]"))).Append("], \"active_set\": [").Append(string.Join(",", cr.ActiveSet)).Append("] }");
        }
        return (sb.Append("] }").ToString(), law);
    }

    private static string Header(string domain) => $$"""
        { "parameters": [ { "quantity": "CurrentA", "min": -210, "max": 210 }, { "quantity": "ReferenceCurrentD", "min": -200, "max": 200 },
                          { "quantity": "MechanicalSpeed", "min": -400, "max": 400 } ],
          "output": { "meaning": "voltage_dc", "min": [-60], "max": [60] }, "continuous": true {{domain}} }
        """;

    [Fact]
    public void StateConstrainedPpoptLawIsRejectedOnTheBoxAndImportsWithARegionsDomain()
    {
        (string json, PwaLaw reference) = PpoptStateConstrained();
        var e = Assert.Throws<ConfigException>(() => PwaImport.ParsePpopt("ppopt.json", json, PwaImport.ParseHeader("h.json", Header(""))));
        Assert.Contains("lies in no region", e.Problem);
        Assert.Contains("\"domain\"", e.Fix);

        PwaLaw law = PwaImport.ParsePpopt("ppopt.json", json, PwaImport.ParseHeader("h.json", Header(", \"domain\": { \"kind\": \"regions\" }")));
        Assert.Equal(21, law.RegionCount);
        Assert.Equal(PwaDomainKind.Regions, law.Domain!.Kind);
        Assert.Equal(4, law.Domain.K.Length); // the feasible set's four facets inside the box
        // Outside the feasible set (current at the limit, back-EMF beyond the supply) the law is out of domain.
        Assert.True(law.Domain.Violation([-209, 0, 400]) > 0);
        Assert.Equal(-1, law.FindRegionSequential([-209, 0, 400]));
        var u1 = new double[1];
        var u2 = new double[1];
        var rng = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            double[] t = [420 * rng.NextDouble() - 210, 400 * rng.NextDouble() - 200, 800 * rng.NextDouble() - 400];
            Assert.Equal(reference.Evaluate(t, u1, true, out _) >= 0, law.Evaluate(t, u2, true, out _) >= 0);
            Assert.Equal(u1[0], u2[0], 9);
        }
    }

    [Fact]
    public void PolytopeDomainRoundTripsThroughTheLawFile()
    {
        var (_, _, law) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, MpcBuildTests.AnchorOptions(3), "reference");
        Assert.Equal(PwaDomainKind.Polytope, law.Domain!.Kind);
        PwaLaw loaded = PwaLawFile.Parse("law.json", PwaLawFile.ToJson(law, "x"));
        Assert.Equal(law.Domain.K, loaded.Domain!.K);
        Assert.Equal(law.RegionCount, loaded.RegionCount);
    }

    [Fact]
    public void AUnionDomainWithAHoleIsRejected()
    {
        // A 3 × 3 grid law without its centre region: the union is not convex.
        PwaLaw grid = PwaSynthesis.GridBenchmarkLaw(3);
        var regions = grid.Regions.Where((_, i) => i != 4).ToList();
        var holed = new PwaLaw("holed.json", grid.Parameters, grid.Meaning, grid.OutputMin.ToArray(), grid.OutputMax.ToArray(), regions, true, grid.Tolerance);
        PwaLaw law = PwaDomainFile.Apply(holed, new PwaDomain(PwaDomainKind.Regions, [], []));
        var e = Assert.Throws<ConfigException>(() => PwaValidator.Validate(law));
        Assert.Equal("domain", e.Field);
        Assert.Contains("not convex", e.Problem);
    }
}
