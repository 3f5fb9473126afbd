using System.Globalization;
using System.Text;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Tests;

public class PwaImportTests
{
    private const string GridHeader = """
        { "parameters": [ { "quantity": "ErrorCurrentD", "min": -10, "max": 10 }, { "quantity": "ErrorCurrentQ", "min": -10, "max": 10 } ],
          "output": { "meaning": "voltage_dq", "min": [-1000, -1000], "max": [1000, 1000] }, "continuous": true }
        """;

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Mpt3ArraysImportToTheSameLaw()
    {
        // Export a 25-region grid law in MPT3's stacked layout (H and F flat, row-major), import it, compare.
        PwaLaw law = PwaSynthesis.GridBenchmarkLaw(5);
        var h = new List<double>(); var k = new List<double>(); var nc = new List<int>(); var f = new List<double>(); var g = new List<double>();
        foreach (PwaRegion r in law.Regions)
        {
            nc.Add(r.H.Length);
            foreach (double[] row in r.H) h.AddRange(row);
            k.AddRange(r.K);
            foreach (double[] row in r.F) f.AddRange(row);
            g.AddRange(r.G);
        }
        string json = $"{{ \"H\": [{string.Join(",", h.Select(N))}], \"K\": [{string.Join(",", k.Select(N))}], \"NC\": [{string.Join(",", nc)}], " +
                      $"\"F\": [{string.Join(",", f.Select(N))}], \"G\": [{string.Join(",", g.Select(N))}] }}";
        PwaImport.Header header = PwaImport.ParseHeader("header.json", GridHeader);
        PwaLaw imported = PwaImport.ParseMpt3("mpt3.json", json, header);
        Assert.Equal(25, imported.RegionCount);
        AssertSameLaw(law, imported);
    }

    [Fact]
    public void Mpt3WithTheWholeSequenceTakesTheFirstMoveAndNestedRows()
    {
        // 1-D saturated law u = clip(2θ, −1, 1), F/G carrying a 2-step sequence per region (the second move is junk).
        const string json = """
            { "H": [[1], [-1], [1], [-1]], "K": [-0.5, 0.5, 0.5, -0.5], "NC": [1, 2, 1],
              "F": [[0], [99], [2], [99], [0], [99]], "G": [-1, 99, 0, 99, 1, 99] }
            """;
        const string header1 = """
            { "parameters": [ { "quantity": "ErrorCurrentD", "min": -2, "max": 2 } ], "output": { "meaning": "voltage_dc", "min": [-5], "max": [5] }, "continuous": true }
            """;
        PwaLaw law = PwaImport.ParseMpt3("mpt3.json", json, PwaImport.ParseHeader("h.json", header1));
        var u = new double[1];
        foreach (double x in new[] { -2.0, -0.7, -0.5, -0.1, 0.3, 0.5, 1.9 })
        {
            Assert.True(law.Evaluate([x], u, true, out _) >= 0);
            Assert.Equal(Math.Clamp(2 * x, -1, 1), u[0], 12);
        }
    }

    [Fact]
    public void PpoptCriticalRegionsImportToTheMpcLaw()
    {
        // PPOPT's CriticalRegion fields from our own mpQP (numpy column vectors for f and b, as tolist() writes them).
        var motor = TestMotors.Pmsm;
        var options = new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 2, CurrentRange = 100, SpeedRange = 200 };
        PwaLaw reference = PwaSynthesis.PmsmCurrentMpc(motor, 1e-4, options);
        var sb = new StringBuilder("{ \"critical_regions\": [");
        for (int r = 0; r < reference.RegionCount; r++)
        {
            PwaRegion reg = reference.Regions[r];
            // A: the whole optimiser would have 4 rows (N = 2); append two junk rows to check only the first move is taken.
            double[][] a = reg.F.Concat([Enumerable.Repeat(7.0, 6).ToArray(), Enumerable.Repeat(7.0, 6).ToArray()]).ToArray();
            double[] b = reg.G.Concat([7.0, 7.0]).ToArray();
            sb.Append(r > 0 ? "," : "").Append("{ \"E\": [").Append(string.Join(",", reg.H.Select(Row))).Append("], \"f\": [")
              .Append(string.Join(",", reg.K.Select(v => $"[{N(v)}]"))).Append("], \"A\": [").Append(string.Join(",", a.Select(Row)))
              .Append("], \"b\": [").Append(string.Join(",", b.Select(v => $"[{N(v)}]"))).Append("], \"active_set\": [] }");
        }
        sb.Append("] }");
        string header = $$"""
            { "parameters": [ {{string.Join(",", reference.Parameters.Select(p => $"{{ \"quantity\": \"{p.Quantity}\", \"min\": {N(p.Min)}, \"max\": {N(p.Max)} }}"))}} ],
              "output": { "meaning": "voltage_dq", "min": [{{N(reference.OutputMin[0])}}, {{N(reference.OutputMin[1])}}], "max": [{{N(reference.OutputMax[0])}}, {{N(reference.OutputMax[1])}}] },
              "continuous": true }
            """;
        PwaLaw imported = PwaImport.ParsePpopt("ppopt.json", sb.ToString(), PwaImport.ParseHeader("h.json", header));
        Assert.Equal(reference.RegionCount, imported.RegionCount);
        AssertSameLaw(reference, imported);
    }

    /// <summary>A bad MPT3 or PPOPT export under a 1-D header: the error names the source file and the field.</summary>
    [Theory]
    [InlineData("mpt3", """{ "H": [[1], [-1]], "K": [0, 0], "NC": [1, 2], "F": [[0], [1]], "G": [0, 0] }""", "H", "expected 3")]
    [InlineData("ppopt", """{ "critical_regions": [ { "E": [[1, 0]], "f": [[1]], "A": [[1]], "b": [[0]] } ] }""", "critical_regions[0].E[0]", "")]
    public void AMalformedExportNamesTheField(string source, string json, string field, string problem)
    {
        const string header1 = """{ "parameters": [ { "quantity": "CurrentA", "min": -1, "max": 1 } ], "output": { "meaning": "duty_dc", "min": [-1], "max": [1] }, "continuous": false }""";
        PwaImport.Header header = PwaImport.ParseHeader("h.json", header1);
        string file = source + ".json";
        var e = Assert.Throws<ConfigException>(() => source == "mpt3" ? PwaImport.ParseMpt3(file, json, header) : PwaImport.ParsePpopt(file, json, header));
        Assert.Equal(file, e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
    }

    private static string Row(double[] v) => "[" + string.Join(",", v.Select(N)) + "]";

    private static void AssertSameLaw(PwaLaw expected, PwaLaw actual)
    {
        var rng = new Random(8);
        double[] lo = expected.BoxMin(), hi = expected.BoxMax();
        var t = new double[lo.Length];
        var u1 = new double[expected.OutputCount];
        var u2 = new double[expected.OutputCount];
        for (int i = 0; i < 3000; i++)
        {
            for (int j = 0; j < t.Length; j++) t[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Assert.Equal(expected.Evaluate(t, u1, true, out _), actual.Evaluate(t, u2, true, out _));
            for (int o = 0; o < u1.Length; o++) Assert.Equal(u1[o], u2[o], 9);
        }
    }
}
