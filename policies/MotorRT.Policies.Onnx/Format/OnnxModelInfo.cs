using Google.Protobuf;

namespace MotorRT.Policies.Onnx.Format;

/// <summary>A graph input or output as declared in the model file: name, element type and shape (-1 = symbolic).</summary>
public sealed record OnnxTensorInfo(string Name, OnnxDataType ElementType, long[] Shape, string?[] SymbolicDims);

/// <summary>
/// The header facts of an ONNX model read straight from its protobuf bytes, independent of ONNX Runtime: IR version,
/// operator-set imports, producer, graph inputs and outputs. Used to reject a model the runtime cannot run with a
/// precise message before a session is created. Unknown fields are skipped.
/// </summary>
public sealed class OnnxModelInfo
{
    /// <summary>ModelProto.ir_version.</summary>
    public long IrVersion { get; private set; }

    /// <summary>ModelProto.opset_import as (domain, version); "" is ai.onnx.</summary>
    public List<(string Domain, long Version)> OpsetImports { get; } = [];

    /// <summary>ModelProto.producer_name.</summary>
    public string ProducerName { get; private set; } = "";

    /// <summary>ModelProto.producer_version.</summary>
    public string ProducerVersion { get; private set; } = "";

    /// <summary>Graph inputs that are not initializers.</summary>
    public List<OnnxTensorInfo> Inputs { get; } = [];

    /// <summary>Graph outputs.</summary>
    public List<OnnxTensorInfo> Outputs { get; } = [];

    /// <summary>Operator types used by the graph's nodes, in first-use order.</summary>
    public List<string> OperatorTypes { get; } = [];

    /// <summary>The default-domain operator-set version, or null when the model imports none.</summary>
    public long? DefaultOpset
    {
        get
        {
            foreach ((string d, long v) in OpsetImports)
            {
                if (d.Length == 0 || d == "ai.onnx") return v;
            }
            return null;
        }
    }

    /// <summary>Reads a model file; throws <see cref="InvalidProtocolBufferException"/> when it is not a protobuf.</summary>
    public static OnnxModelInfo Read(byte[] bytes)
    {
        var info = new OnnxModelInfo();
        var input = new CodedInputStream(bytes);
        byte[]? graph = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: info.IrVersion = input.ReadInt64(); break;
                case 2 when IsLen(tag): info.ProducerName = input.ReadString(); break;
                case 3 when IsLen(tag): info.ProducerVersion = input.ReadString(); break;
                case 7 when IsLen(tag): graph = input.ReadBytes().ToByteArray(); break;
                case 8 when IsLen(tag): info.OpsetImports.Add(ReadOpset(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }
        if (graph is not null) info.ReadGraph(graph);
        return info;
    }

    private static bool IsLen(uint tag) => WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;

    private static (string, long) ReadOpset(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string domain = "";
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLen(tag): domain = input.ReadString(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: version = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (domain, version);
    }

    private void ReadGraph(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        var inputs = new List<OnnxTensorInfo>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLen(tag):
                    string op = ReadNodeOpType(input.ReadBytes());
                    if (!OperatorTypes.Contains(op)) OperatorTypes.Add(op);
                    break;
                case 5 when IsLen(tag): initializerNames.Add(ReadTensorName(input.ReadBytes())); break;
                case 11 when IsLen(tag): inputs.Add(ReadValueInfo(input.ReadBytes())); break;
                case 12 when IsLen(tag): Outputs.Add(ReadValueInfo(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }
        foreach (OnnxTensorInfo i in inputs)
        {
            if (!initializerNames.Contains(i.Name)) Inputs.Add(i);
        }
    }

    private static string ReadNodeOpType(ByteString bytes) => ReadStringField(bytes, 4);

    private static string ReadTensorName(ByteString bytes) => ReadStringField(bytes, 8);

    private static string ReadStringField(ByteString bytes, int field)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && IsLen(tag)) value = input.ReadString();
            else input.SkipLastField();
        }
        return value;
    }

    private static OnnxTensorInfo ReadValueInfo(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string name = "";
        OnnxDataType type = OnnxDataType.Undefined;
        var dims = new List<long>();
        var symbols = new List<string?>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            if (field == 1 && IsLen(tag)) name = input.ReadString();
            else if (field == 2 && IsLen(tag)) ReadType(input.ReadBytes(), ref type, dims, symbols);
            else input.SkipLastField();
        }
        return new OnnxTensorInfo(name, type, [.. dims], [.. symbols]);
    }

    /// <summary>Each length-delimited field 1 of the message <paramref name="bytes"/>, as a stream over its own bytes (other fields skipped).</summary>
    private static IEnumerable<CodedInputStream> FieldOneMessages(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1 && IsLen(tag)) yield return new CodedInputStream(input.ReadBytes().ToByteArray());
            else input.SkipLastField();
        }
    }

    private static void ReadType(ByteString bytes, ref OnnxDataType type, List<long> dims, List<string?> symbols)
    {
        foreach (CodedInputStream tensor in FieldOneMessages(bytes))
        {
            uint t;
            while ((t = tensor.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(t);
                if (field == 1 && WireFormat.GetTagWireType(t) == WireFormat.WireType.Varint) type = (OnnxDataType)tensor.ReadInt32();
                else if (field == 2 && IsLen(t)) ReadShape(tensor.ReadBytes(), dims, symbols);
                else tensor.SkipLastField();
            }
        }
    }

    private static void ReadShape(ByteString bytes, List<long> dims, List<string?> symbols)
    {
        foreach (CodedInputStream dim in FieldOneMessages(bytes))
        {
            long value = -1;
            string? param = null;
            uint t;
            while ((t = dim.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(t);
                if (field == 1 && WireFormat.GetTagWireType(t) == WireFormat.WireType.Varint) value = dim.ReadInt64();
                else if (field == 2 && IsLen(t)) param = dim.ReadString();
                else dim.SkipLastField();
            }
            dims.Add(param is null ? value : -1);
            symbols.Add(param);
        }
    }
}
