using System.Buffers.Binary;
using Google.Protobuf;

namespace MotorRT.Policies.Onnx.Format;

/// <summary>An attribute of a graph node as stored in the model (only the kinds a small-network compiler needs).</summary>
/// <param name="Name">Attribute name.</param>
/// <param name="F">AttributeProto.f (FLOAT), else null.</param>
/// <param name="I">AttributeProto.i (INT), else null.</param>
/// <param name="Ints">AttributeProto.ints (INTS), empty when absent.</param>
/// <param name="Tensor">AttributeProto.t (TENSOR, e.g. a Constant's value), else null.</param>
public sealed record OnnxNodeAttribute(string Name, float? F, long? I, long[] Ints, OnnxTensorData? Tensor);

/// <summary>A graph node: operator, domain, input and output value names, attributes.</summary>
public sealed record OnnxNodeInfo(string OpType, string Domain, string[] Inputs, string[] Outputs, OnnxNodeAttribute[] Attributes)
{
    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxNodeAttribute? Attribute(string name) => Array.Find(Attributes, a => a.Name == name);
}

/// <summary>
/// A tensor stored in the model (initializer or Constant value). <see cref="Floats"/> holds the values for float32
/// tensors, <see cref="Int64s"/> for int64 tensors (raw_data or the typed field); null otherwise or for external data.
/// </summary>
public sealed record OnnxTensorData(string Name, OnnxDataType DataType, long[] Dims, float[]? Floats, long[]? Int64s = null)
{
    /// <summary>Number of elements (product of the dims; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Dims) n *= d;
            return n;
        }
    }
}

/// <summary>
/// The nodes and initializers of an ONNX model's main graph read from its protobuf bytes (independent of ONNX
/// Runtime), for compiling small networks natively. Unknown fields are skipped; subgraphs are not read.
/// </summary>
public sealed class OnnxGraphReader
{
    /// <summary>Nodes in file order (ONNX requires topological order).</summary>
    public List<OnnxNodeInfo> Nodes { get; } = [];

    /// <summary>Initializers by name.</summary>
    public Dictionary<string, OnnxTensorData> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the main graph of a model; throws <see cref="InvalidProtocolBufferException"/> when it is not a protobuf.</summary>
    public static OnnxGraphReader Read(byte[] model)
    {
        var reader = new OnnxGraphReader();
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 7 && IsLen(tag)) reader.ReadGraph(input.ReadBytes());
            else input.SkipLastField();
        }
        return reader;
    }

    private static bool IsLen(uint tag) => WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;

    private void ReadGraph(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLen(tag): Nodes.Add(ReadNode(input.ReadBytes())); break;
                case 5 when IsLen(tag):
                    OnnxTensorData t = ReadTensor(input.ReadBytes());
                    Initializers[t.Name] = t;
                    break;
                default: input.SkipLastField(); break;
            }
        }
    }

    private static OnnxNodeInfo ReadNode(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxNodeAttribute>();
        string op = "", domain = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLen(tag): inputs.Add(input.ReadString()); break;
                case 2 when IsLen(tag): outputs.Add(input.ReadString()); break;
                case 4 when IsLen(tag): op = input.ReadString(); break;
                case 5 when IsLen(tag): attributes.Add(ReadAttribute(input.ReadBytes())); break;
                case 7 when IsLen(tag): domain = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxNodeInfo(op, domain, [.. inputs], [.. outputs], [.. attributes]);
    }

    private static OnnxNodeAttribute ReadAttribute(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string name = "";
        float? f = null;
        long? i = null;
        var ints = new List<long>();
        OnnxTensorData? t = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            WireFormat.WireType wire = WireFormat.GetTagWireType(tag);
            if (field == 1 && wire == WireFormat.WireType.LengthDelimited) name = input.ReadString();
            else if (field == 2 && wire == WireFormat.WireType.Fixed32) f = input.ReadFloat();
            else if (field == 3 && wire == WireFormat.WireType.Varint) i = input.ReadInt64();
            else if (field == 5 && wire == WireFormat.WireType.LengthDelimited) t = ReadTensor(input.ReadBytes());
            else if (field == 8 && wire == WireFormat.WireType.Varint) ints.Add(input.ReadInt64());
            else if (field == 8 && wire == WireFormat.WireType.LengthDelimited) ReadPackedInt64(input.ReadBytes(), ints);
            else input.SkipLastField();
        }
        return new OnnxNodeAttribute(name, f, i, [.. ints], t);
    }

    private static OnnxTensorData ReadTensor(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string name = "";
        var dims = new List<long>();
        var type = OnnxDataType.Undefined;
        var floatData = new List<float>();
        var int64Data = new List<long>();
        byte[]? raw = null;
        bool external = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            WireFormat.WireType wire = WireFormat.GetTagWireType(tag);
            if (field == 1 && wire == WireFormat.WireType.Varint) dims.Add(input.ReadInt64());
            else if (field == 1 && wire == WireFormat.WireType.LengthDelimited) ReadPackedInt64(input.ReadBytes(), dims);
            else if (field == 2 && wire == WireFormat.WireType.Varint) type = (OnnxDataType)input.ReadInt32();
            else if (field == 4 && wire == WireFormat.WireType.Fixed32) floatData.Add(input.ReadFloat());
            else if (field == 4 && wire == WireFormat.WireType.LengthDelimited) ReadPackedFloats(input.ReadBytes(), floatData);
            else if (field == 7 && wire == WireFormat.WireType.Varint) int64Data.Add(input.ReadInt64());
            else if (field == 7 && wire == WireFormat.WireType.LengthDelimited) ReadPackedInt64(input.ReadBytes(), int64Data);
            else if (field == 8 && wire == WireFormat.WireType.LengthDelimited) name = input.ReadString();
            else if (field == 9 && wire == WireFormat.WireType.LengthDelimited) raw = input.ReadBytes().ToByteArray();
            else if (field == 13 && wire == WireFormat.WireType.LengthDelimited) { external = true; input.SkipLastField(); }
            else input.SkipLastField();
        }
        float[]? floats = null;
        if (type == OnnxDataType.Float && !external)
        {
            if (raw is not null)
            {
                floats = new float[raw.Length / 4];
                for (int k = 0; k < floats.Length; k++) floats[k] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * k));
            }
            else
            {
                floats = [.. floatData];
            }
        }
        long[]? int64s = null;
        if (type == OnnxDataType.Int64 && !external)
        {
            if (raw is not null)
            {
                int64s = new long[raw.Length / 8];
                for (int k = 0; k < int64s.Length; k++) int64s[k] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * k));
            }
            else
            {
                int64s = [.. int64Data];
            }
        }
        return new OnnxTensorData(name, type, [.. dims], floats, int64s);
    }

    private static void ReadPackedInt64(ByteString bytes, List<long> values)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        while (!input.IsAtEnd) values.Add(input.ReadInt64());
    }

    private static void ReadPackedFloats(ByteString bytes, List<float> values)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        for (int k = 0; k + 4 <= span.Length; k += 4) values.Add(BinaryPrimitives.ReadSingleLittleEndian(span[k..]));
    }
}
