using System.Collections;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Correlator.Findings;

/// <summary>
/// A compact binary copy of an object graph (the findings subscription's engine state), read back into an equal graph.
/// Every instance field is copied, so the snapshot follows the engine's classes without code of its own in them:
/// plain classes and structs field by field, shared references once (a back-reference after), equal strings once, and
/// the BCL collections the engine uses (arrays, <c>List</c>, <c>Dictionary</c>, <c>HashSet</c>, <c>SortedSet</c>,
/// <c>Queue</c>) as their items and comparer. Each type is written with its field layout; reading a snapshot whose
/// layout differs from the running code's (an older build), or a type outside Correlator and those collections, fails
/// with <see cref="InvalidDataException"/>: the caller then ignores the snapshot. Compressed (zlib, fastest: its checksum catches a corrupt row).
/// </summary>
internal static class StateSnapshot
{
    private const int Magic = 0x31534343; // "CCS1"
    private enum Tag : byte { Null, Ref, Object, String }
    private enum Kind : byte { Fields, Array, List, Dictionary, HashSet, SortedSet, Queue, Primitive }
    private enum ComparerToken : byte { Default, Ordinal, OrdinalIgnoreCase, Reference }

    public static byte[] Write(object root)
    {
        using var buffer = new MemoryStream();
        // BinaryWriter writes value by value: without a buffer each one would be a call into zlib.
        using (var zip = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var buffered = new BufferedStream(zip, 1 << 16))
        using (var w = new BinaryWriter(buffered))
        {
            w.Write(Magic);
            new Writer(w).Value(root, typeof(object));
        }
        return buffer.ToArray();
    }

    public static T Read<T>(byte[] data) where T : class
    {
        try
        {
            using var zip = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
            using var buffered = new BufferedStream(zip, 1 << 16);
            using var r = new BinaryReader(buffered);
            if (r.ReadInt32() != Magic) throw new InvalidDataException("not a state snapshot");
            return new Reader(r).Value(typeof(object)) as T ?? throw new InvalidDataException($"the snapshot does not hold a {typeof(T).Name}");
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"unreadable snapshot: {e.Message}", e);
        }
    }

    // ---------------------------------------------------------------- types

    private static readonly Dictionary<Type, Kind> Generic = new()
    {
        [typeof(List<>)] = Kind.List, [typeof(Dictionary<,>)] = Kind.Dictionary, [typeof(HashSet<>)] = Kind.HashSet,
        [typeof(SortedSet<>)] = Kind.SortedSet, [typeof(Queue<>)] = Kind.Queue,
    };

    private static readonly HashSet<Type> Primitives =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(char), typeof(float), typeof(double), typeof(decimal), typeof(string), typeof(DateTime), typeof(DateTimeOffset),
        typeof(TimeSpan), typeof(Guid),
    ];

    private static readonly Assembly Own = typeof(StateSnapshot).Assembly;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Kind> Kinds = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> InlineTypes = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> Elements = new();

    /// <summary>A value type that is not a Nullable: written in place, without tag or type.</summary>
    private static bool IsInline(Type t) => InlineTypes.GetOrAdd(t, static t => t.IsValueType && Nullable.GetUnderlyingType(t) is null);

    private static Kind KindOf(Type t) => Kinds.TryGetValue(t, out var k) ? k : Kinds[t] = Classify(t);

    private static Kind Classify(Type t)
    {
        if (Primitives.Contains(t) || t.IsEnum) return Kind.Primitive;
        if (t.IsArray) return t.GetArrayRank() == 1 ? Kind.Array : throw Unsupported(t);
        if (t.IsGenericType && Generic.TryGetValue(t.GetGenericTypeDefinition(), out var k)) return k;
        // <>z__ReadOnlyArray and kin: what the compiler makes of a collection expression typed as a read-only interface.
        if (t.Assembly == Own || t == typeof(object) || t.Name.StartsWith("<>z__ReadOnly", StringComparison.Ordinal) || (t.IsValueType && t.Namespace == "System" && t.IsGenericType &&
                                                          (t.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) ||
                                                           t.GetGenericTypeDefinition() == typeof(Nullable<>) ||
                                                           t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))))
        {
            foreach (var a in t.IsGenericType ? t.GetGenericArguments() : []) KindOf(a);
            return Kind.Fields;
        }
        throw Unsupported(t);
    }

    private static InvalidDataException Unsupported(Type t) => new($"type {t} cannot be part of a state snapshot");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, FieldInfo[]> FieldCache = new();

    private static FieldInfo[] Fields(Type t) => FieldCache.GetOrAdd(t, static t =>
    {
        var all = new List<FieldInfo>();
        for (var c = t; c is not null && c != typeof(object) && c != typeof(ValueType); c = c.BaseType)
            all.AddRange(c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .OrderBy(f => f.Name, StringComparer.Ordinal));
        return [.. all];
    });

    private static string Layout(Type t) => KindOf(t) == Kind.Fields ? string.Join(",", Fields(t).Select(f => $"{f.Name}:{f.FieldType}")) : "";

    private static readonly ConditionalWeakTable<Type, object[]> DefaultComparers = new();

    /// <summary>The default equality comparer and order of a key type.</summary>
    private static object[] Defaults(Type key) => DefaultComparers.GetValue(key, static k =>
    [
        typeof(EqualityComparer<>).MakeGenericType(k).GetProperty("Default")!.GetValue(null)!,
        typeof(Comparer<>).MakeGenericType(k).GetProperty("Default")!.GetValue(null)!,
    ]);

    private static Type ElementOf(Type t) => Elements.GetOrAdd(t, static t => t.IsArray ? t.GetElementType()! : t.GetGenericArguments()[0]);

    // ---------------------------------------------------------------- writer

    private sealed class Writer(BinaryWriter w)
    {
        private readonly Dictionary<object, int> _refs = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
        private readonly Dictionary<Type, int> _types = [];
        private int _next;

        public void Value(object? value, Type declared)
        {
            if (IsInline(declared)) { Inline(value!, declared); return; }
            if (value is null) { w.Write((byte)Tag.Null); return; }
            if (value is string s)
            {
                if (_strings.TryGetValue(s, out var id)) { w.Write((byte)Tag.Ref); w.Write7BitEncodedInt(id); return; }
                _strings[s] = _next++;
                w.Write((byte)Tag.String);
                w.Write(s);
                return;
            }
            var type = value.GetType();
            if (!type.IsValueType)
            {
                if (_refs.TryGetValue(value, out var id)) { w.Write((byte)Tag.Ref); w.Write7BitEncodedInt(id); return; }
                _refs[value] = _next++;
            }
            w.Write((byte)Tag.Object);
            TypeId(type);
            Content(value, type);
        }

        private void TypeId(Type type)
        {
            if (_types.TryGetValue(type, out var id)) { w.Write7BitEncodedInt(id); return; }
            KindOf(type);
            _types[type] = _types.Count;
            w.Write7BitEncodedInt(_types.Count - 1);
            w.Write(type.AssemblyQualifiedName ?? throw Unsupported(type));
            w.Write(Layout(type));
        }

        private void Inline(object value, Type type)
        {
            if (KindOf(type) == Kind.Primitive) Primitive(value, type);
            else foreach (var f in Fields(type)) Value(f.GetValue(value), f.FieldType);
        }

        private void Content(object value, Type type)
        {
            switch (KindOf(type))
            {
                case Kind.Primitive:
                case Kind.Fields when type.IsValueType:
                    Inline(value, type);
                    break;
                case Kind.Fields:
                    foreach (var f in Fields(type)) Value(f.GetValue(value), f.FieldType);
                    break;
                case Kind.Array:
                case Kind.List:
                case Kind.Queue:
                    Items((ICollection)value, ElementOf(type));
                    break;
                case Kind.HashSet:
                    Comparer(type.GetProperty("Comparer")!.GetValue(value), ElementOf(type));
                    var members = ((IEnumerable)value).Cast<object?>().ToList();
                    Items(members, ElementOf(type));
                    break;
                case Kind.SortedSet:
                    Comparer(type.GetProperty("Comparer")!.GetValue(value), ElementOf(type));
                    Items((ICollection)value, ElementOf(type));
                    break;
                case Kind.Dictionary:
                    var args = type.GetGenericArguments();
                    var d = (IDictionary)value;
                    Comparer(type.GetProperty("Comparer")!.GetValue(value), args[0]);
                    w.Write7BitEncodedInt(d.Count);
                    foreach (DictionaryEntry e in d) { Value(e.Key, args[0]); Value(e.Value, args[1]); }
                    break;
            }
        }

        private void Items(ICollection items, Type element)
        {
            w.Write7BitEncodedInt(items.Count);
            foreach (var item in items) Value(item, element);
        }

        private void Comparer(object? comparer, Type key)
        {
            var token =
                comparer is null || Defaults(key).Contains(comparer) ? ComparerToken.Default
                : ReferenceEquals(comparer, StringComparer.Ordinal) ? ComparerToken.Ordinal
                : ReferenceEquals(comparer, StringComparer.OrdinalIgnoreCase) ? ComparerToken.OrdinalIgnoreCase
                : ReferenceEquals(comparer, ReferenceEqualityComparer.Instance) ? ComparerToken.Reference
                : throw new InvalidDataException($"comparer {comparer.GetType()} cannot be part of a state snapshot");
            w.Write((byte)token);
        }

        private void Primitive(object v, Type t)
        {
            if (t.IsEnum) { w.Write7BitEncodedInt64(Convert.ToInt64(v)); return; }
            switch (v)
            {
                case bool x: w.Write(x); break;
                case byte x: w.Write(x); break;
                case sbyte x: w.Write(x); break;
                case short x: w.Write(x); break;
                case ushort x: w.Write(x); break;
                case int x: w.Write7BitEncodedInt(x); break;
                case uint x: w.Write(x); break;
                case long x: w.Write7BitEncodedInt64(x); break;
                case ulong x: w.Write(x); break;
                case char x: w.Write((ushort)x); break;
                case float x: w.Write(x); break;
                case double x: w.Write(x); break;
                case decimal x: w.Write(x); break;
                case DateTime x: w.Write(x.ToBinary()); break;
                case DateTimeOffset x: w.Write7BitEncodedInt64(x.Ticks); w.Write((short)x.Offset.TotalMinutes); break;
                case TimeSpan x: w.Write7BitEncodedInt64(x.Ticks); break;
                case Guid x: w.Write(x.ToByteArray()); break;
                default: throw Unsupported(t);
            }
        }
    }

    // ---------------------------------------------------------------- reader

    private sealed class Reader(BinaryReader r)
    {
        private readonly List<object> _refs = [];
        private readonly List<Type> _types = [];

        public object? Value(Type declared)
        {
            if (IsInline(declared)) return Inline(declared);
            var tag = (Tag)r.ReadByte();
            switch (tag)
            {
                case Tag.Null: return null;
                case Tag.Ref:
                    var id = r.Read7BitEncodedInt();
                    return id < _refs.Count ? _refs[id] : throw new InvalidDataException("dangling reference");
                case Tag.String:
                    var s = r.ReadString();
                    _refs.Add(s);
                    return s;
                case Tag.Object:
                    var type = TypeId();
                    if (!declared.IsAssignableFrom(type) && Nullable.GetUnderlyingType(declared) != type)
                        throw new InvalidDataException($"{type} where a {declared} belongs");
                    return Content(type);
                default: throw new InvalidDataException($"bad tag {(byte)tag}");
            }
        }

        private Type TypeId()
        {
            var id = r.Read7BitEncodedInt();
            if (id < _types.Count) return _types[id];
            if (id != _types.Count) throw new InvalidDataException("bad type id");
            var name = r.ReadString();
            var layout = r.ReadString();
            var type = Type.GetType(name, throwOnError: false) ?? throw new InvalidDataException($"unknown type {name}");
            KindOf(type);
            if (Layout(type) != layout) throw new InvalidDataException($"the layout of {type.Name} changed since the snapshot was written");
            _types.Add(type);
            return type;
        }

        private object Inline(Type type)
        {
            if (KindOf(type) == Kind.Primitive) return Primitive(type);
            var box = RuntimeHelpers.GetUninitializedObject(type);
            foreach (var f in Fields(type)) f.SetValue(box, Value(f.FieldType));
            return box;
        }

        private object Content(Type type)
        {
            var kind = KindOf(type);
            if (type.IsValueType) return Inline(type);
            switch (kind)
            {
                case Kind.Fields:
                {
                    var o = RuntimeHelpers.GetUninitializedObject(type);
                    _refs.Add(o);
                    foreach (var f in Fields(type)) f.SetValue(o, Value(f.FieldType));
                    return o;
                }
                case Kind.Array:
                {
                    var slot = Reserve();
                    var n = Count();
                    var a = Array.CreateInstance(ElementOf(type), n);
                    _refs[slot] = a;
                    for (var i = 0; i < n; i++) a.SetValue(Value(ElementOf(type)), i);
                    return a;
                }
                case Kind.List:
                {
                    var slot = Reserve();
                    var n = Count();
                    var list = (IList)Activator.CreateInstance(type, n)!;
                    _refs[slot] = list;
                    for (var i = 0; i < n; i++) list.Add(Value(ElementOf(type)));
                    return list;
                }
                case Kind.Dictionary:
                {
                    var slot = Reserve();
                    var args = type.GetGenericArguments();
                    var comparer = Comparer(args[0], equality: true);
                    var n = Count();
                    var d = (IDictionary)Activator.CreateInstance(type, n, comparer)!;
                    _refs[slot] = d;
                    for (var i = 0; i < n; i++)
                    {
                        var k = Value(args[0]) ?? throw new InvalidDataException("null key");
                        d.Add(k, Value(args[1]));
                    }
                    return d;
                }
                case Kind.HashSet:
                case Kind.SortedSet:
                case Kind.Queue:
                {
                    var slot = Reserve();
                    var element = ElementOf(type);
                    var comparer = kind == Kind.Queue ? null : Comparer(element, equality: kind == Kind.HashSet);
                    var set = comparer is null ? Activator.CreateInstance(type)! : Activator.CreateInstance(type, comparer)!;
                    _refs[slot] = set;
                    var add = type.GetMethod(kind == Kind.Queue ? "Enqueue" : "Add", [element])!;
                    var n = Count();
                    var arg = new object?[1];
                    for (var i = 0; i < n; i++) { arg[0] = Value(element); add.Invoke(set, arg); }
                    return set;
                }
                default: throw Unsupported(type);
            }
        }

        private int Reserve()
        {
            _refs.Add(null!);
            return _refs.Count - 1;
        }

        private int Count()
        {
            var n = r.Read7BitEncodedInt();
            return n is >= 0 and <= 1 << 28 ? n : throw new InvalidDataException("bad count");
        }

        private object? Comparer(Type key, bool equality)
        {
            var token = (ComparerToken)r.ReadByte();
            return token switch
            {
                ComparerToken.Default => null,
                ComparerToken.Ordinal => StringComparer.Ordinal,
                ComparerToken.OrdinalIgnoreCase => StringComparer.OrdinalIgnoreCase,
                ComparerToken.Reference when equality => ReferenceEqualityComparer.Instance,
                _ => throw new InvalidDataException($"bad comparer for {key}"),
            };
        }

        private object Primitive(Type t)
        {
            if (t.IsEnum) return Enum.ToObject(t, r.Read7BitEncodedInt64());
            if (t == typeof(bool)) return r.ReadBoolean();
            if (t == typeof(byte)) return r.ReadByte();
            if (t == typeof(sbyte)) return r.ReadSByte();
            if (t == typeof(short)) return r.ReadInt16();
            if (t == typeof(ushort)) return r.ReadUInt16();
            if (t == typeof(int)) return r.Read7BitEncodedInt();
            if (t == typeof(uint)) return r.ReadUInt32();
            if (t == typeof(long)) return r.Read7BitEncodedInt64();
            if (t == typeof(ulong)) return r.ReadUInt64();
            if (t == typeof(char)) return (char)r.ReadUInt16();
            if (t == typeof(float)) return r.ReadSingle();
            if (t == typeof(double)) return r.ReadDouble();
            if (t == typeof(decimal)) return r.ReadDecimal();
            if (t == typeof(DateTime)) return DateTime.FromBinary(r.ReadInt64());
            if (t == typeof(DateTimeOffset)) { var ticks = r.Read7BitEncodedInt64(); return new DateTimeOffset(ticks, TimeSpan.FromMinutes(r.ReadInt16())); }
            if (t == typeof(TimeSpan)) return new TimeSpan(r.Read7BitEncodedInt64());
            if (t == typeof(Guid)) return new Guid(r.ReadBytes(16));
            throw Unsupported(t);
        }
    }
}
