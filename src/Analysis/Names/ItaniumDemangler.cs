using System.Globalization;

namespace LlmPipeline.Analysis.Names;

/// <summary>
/// Reads the part of the Itanium C++ ABI mangling grammar that GPU kernel names use
/// (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling): <c>_Z</c> followed by a nested name
/// (<c>N … E</c>) or an unscoped name, template arguments (<c>I … E</c>: types, integer and boolean literals,
/// enumerator literals, packs), builtin types (<c>bfloat16</c> as <c>DF16b</c> included), pointers, references,
/// qualifiers and substitutions (<c>S_</c>, <c>S4_</c>, <c>St</c>, …). The function's parameter list is not read:
/// a kernel's identity is its qualified name and template arguments, so
/// <c>_ZN5aiter24add_rmsnorm_quant_kernelIDF16bDF16bLi256ELi16ELb0ELb0ELb1ELi1EEEvPT0_PT_PfS4_S4_S4_diiiiiiib</c>
/// reads <c>aiter::add_rmsnorm_quant_kernel&lt;bfloat16, bfloat16, 256, 16, false, false, true, 1&gt;</c>.
/// </summary>
public sealed class ItaniumDemangler
{
    private readonly string _s;
    private readonly List<string> _subs = [];
    private int _i;
    private int _argDepth;
    private string? _name;

    private ItaniumDemangler(string mangled) => _s = mangled;

    /// <summary>
    /// The demangled qualified name with its template arguments, or null when <paramref name="name"/> is not an
    /// Itanium-mangled name. When the template arguments use a form this reader does not know (expressions, function
    /// types, template parameter declarations…) they read <c>&lt;…&gt;</c>; an unknown form in the name itself gives null.
    /// </summary>
    public static string? TryDemangle(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith("_Z", StringComparison.Ordinal) || name.Length < 4) return null;
        var reader = new ItaniumDemangler(name) { _i = 2 };
        try
        {
            return reader.Name();
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return reader._name is null ? null : reader._name + "<" + NameShortener.Ellipsis + ">";
        }
    }

    private char Peek(int ahead = 0) => _i + ahead < _s.Length ? _s[_i + ahead] : '\0';

    private bool Eat(char c)
    {
        if (Peek() != c) return false;
        _i++;
        return true;
    }

    private static FormatException Unknown() => new("unsupported mangling");

    /// <summary>name: nested-name, or unscoped (possibly substituted) name with optional template args.</summary>
    private string Name()
    {
        if (Peek() == 'N') return NestedName();
        string name;
        if (Peek() == 'S' && Peek(1) == 't')
        {
            _i += 2;
            name = "std::" + SourceName();
        }
        else if (Peek() == 'S')
        {
            name = Substitution();
        }
        else
        {
            name = UnqualifiedName();
        }
        if (Peek() == 'I')
        {
            _subs.Add(name);
            if (_argDepth == 0) _name = name;
            name += TemplateArgs();
        }
        return name;
    }

    /// <summary>N [r][V][K] prefix… E.</summary>
    private string NestedName()
    {
        _i++; // N
        while (Peek() is 'r' or 'V' or 'K' or 'R' or 'O') _i++;
        var result = "";
        while (!Eat('E'))
        {
            if (Peek() == 'I')
            {
                if (_argDepth == 0) _name = result;
                result += TemplateArgs();
            }
            else if (Peek() == 'S')
            {
                result = Join(result, Substitution());
                continue; // a substitution is not a new candidate
            }
            else if (Peek() == 'T')
            {
                result = Join(result, TemplateParam());
            }
            else
            {
                result = Join(result, UnqualifiedName());
            }
            _subs.Add(result);
        }
        if (_subs.Count > 0 && _subs[^1] == result) _subs.RemoveAt(_subs.Count - 1); // the whole name is no prefix candidate
        return result;
    }

    private static string Join(string prefix, string part) => prefix.Length == 0 ? part : prefix + "::" + part;

    /// <summary>source-name, ctor/dtor name, or abi-tagged name.</summary>
    private string UnqualifiedName()
    {
        var c = Peek();
        if (char.IsAsciiDigit(c))
        {
            var name = SourceName();
            while (Peek() == 'B') { _i++; SourceName(); } // abi tags
            return name;
        }
        if (c == 'U' && Peek(1) == 't')
        {
            // unnamed type: Ut [n] _
            _i += 2;
            while (Peek() != '_') _i++;
            _i++;
            return "{unnamed type}";
        }
        if ((c == 'C' && Peek(1) is '1' or '2' or '3') || (c == 'D' && Peek(1) is '0' or '1' or '2'))
        {
            _i += 2;
            return c == 'C' ? "{ctor}" : "{dtor}";
        }
        throw Unknown();
    }

    /// <summary>&lt;length&gt; identifier; <c>_GLOBAL__N_1</c> reads as <c>(anonymous namespace)</c>.</summary>
    private string SourceName()
    {
        var start = _i;
        while (char.IsAsciiDigit(Peek())) _i++;
        if (_i == start) throw Unknown();
        var length = int.Parse(_s.AsSpan(start, _i - start), NumberStyles.None, CultureInfo.InvariantCulture);
        var id = _s.Substring(_i, length);
        _i += length;
        return id.StartsWith("_GLOBAL__N", StringComparison.Ordinal) ? "(anonymous namespace)" : id;
    }

    /// <summary>S_, S&lt;base-36&gt;_, St, Sa, Sb, Ss, Si, So, Sd.</summary>
    private string Substitution()
    {
        _i++; // S
        var c = Peek();
        switch (c)
        {
            case 't': _i++; return "std::" + UnqualifiedName();
            case 'a': _i++; return "std::allocator";
            case 'b': _i++; return "std::basic_string";
            case 's': _i++; return "std::string";
            case 'i': _i++; return "std::istream";
            case 'o': _i++; return "std::ostream";
            case 'd': _i++; return "std::iostream";
        }
        var index = 0;
        if (c != '_')
        {
            var seq = 0;
            while (Peek() != '_')
            {
                var d = Peek();
                seq = seq * 36 + (char.IsAsciiDigit(d) ? d - '0' : char.IsAsciiLetterUpper(d) ? d - 'A' + 10 : throw Unknown());
                _i++;
            }
            index = seq + 1;
        }
        _i++; // _
        return _subs[index];
    }

    /// <summary>T_ or T&lt;n&gt;_: shown as <c>T</c>, <c>T1</c>… (this reader does not bind template parameters).</summary>
    private string TemplateParam()
    {
        _i++; // T
        var start = _i;
        while (Peek() != '_') _i++;
        var n = _i == start ? 0 : int.Parse(_s.AsSpan(start, _i - start), NumberStyles.None, CultureInfo.InvariantCulture) + 1;
        _i++;
        return n == 0 ? "T" : "T" + n.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>I template-arg… E, as <c>&lt;a, b&gt;</c>.</summary>
    private string TemplateArgs()
    {
        _i++; // I
        var args = new List<string>();
        _argDepth++;
        if (_argDepth > MaxNesting) throw new FormatException($"template arguments nested deeper than {MaxNesting} levels");
        while (!Eat('E')) args.Add(TemplateArg());
        _argDepth--;
        var text = string.Join(", ", args.Where(a => a.Length > 0));
        return "<" + text + (text.EndsWith('>') ? " >" : ">");
    }

    private string TemplateArg()
    {
        switch (Peek())
        {
            case 'L': return Literal();
            case 'J':
                {
                    _i++;
                    var pack = new List<string>();
                    while (!Eat('E')) pack.Add(TemplateArg());
                    return string.Join(", ", pack);
                }
            case 'X': throw Unknown();
            default: return Type();
        }
    }

    /// <summary>L type value E (integers, bools, enumerators), or L _Z encoding E (a function's address).</summary>
    private string Literal()
    {
        _i++; // L
        if (Peek() == '_' && Peek(1) == 'Z')
        {
            _i += 2;
            var name = Name();
            // skip the function's parameter types up to the literal's E
            var depth = 0;
            while (!(Peek() == 'E' && depth == 0))
            {
                if (Peek() is 'I' or 'N') depth++;
                else if (Peek() == 'E') depth--;
                _i++;
            }
            _i++;
            return "&" + name;
        }
        var type = Type();
        var start = _i;
        while (Peek() != 'E') _i++;
        var raw = _s[start.._i];
        _i++;
        var value = raw.StartsWith('n') ? "-" + raw[1..] : raw;
        return type switch
        {
            "bool" => value == "0" ? "false" : "true",
            "int" or "long" or "unsigned int" or "unsigned long" or "short" or "unsigned short" or "char" or "signed char" or "unsigned char" or "long long" or "unsigned long long" => value,
            _ => "(" + type + ")" + value,
        };
    }

    /// <summary>How deep types and template arguments may nest before the name is given up on (real kernel names nest
    /// a handful of levels; a pathological name must not exhaust the stack).</summary>
    private const int MaxNesting = 64;

    private int _nesting;

    private string Type()
    {
        if (++_nesting > MaxNesting) throw new FormatException($"types nested deeper than {MaxNesting} levels");
        try
        {
            return TypeCore();
        }
        finally
        {
            _nesting--;
        }
    }

    private string TypeCore()
    {
        var c = Peek();
        var builtin = c switch
        {
            'v' => "void", 'w' => "wchar_t", 'b' => "bool", 'c' => "char", 'a' => "signed char", 'h' => "unsigned char",
            's' => "short", 't' => "unsigned short", 'i' => "int", 'j' => "unsigned int", 'l' => "long",
            'm' => "unsigned long", 'x' => "long long", 'y' => "unsigned long long", 'n' => "__int128",
            'o' => "unsigned __int128", 'f' => "float", 'd' => "double", 'e' => "long double", 'g' => "__float128",
            'z' => "...",
            _ => null,
        };
        if (builtin is not null)
        {
            _i++;
            return builtin;
        }
        string result;
        switch (c)
        {
            case 'D':
                return DType();
            case 'P': _i++; result = Type() + "*"; break;
            case 'R': _i++; result = Type() + "&"; break;
            case 'O': _i++; result = Type() + "&&"; break;
            case 'K': _i++; result = Type() + " const"; break;
            case 'V': _i++; result = Type() + " volatile"; break;
            case 'r': _i++; result = Type() + " restrict"; break;
            case 'T': result = TemplateParam(); break;
            case 'S' when Peek(1) != 't':
                result = Substitution();
                if (Peek() == 'I')
                {
                    result += TemplateArgs();
                    break;
                }
                return result; // a substitution is not a new candidate
            case 'N':
            case 'S':
            case >= '0' and <= '9':
                result = Name();
                break;
            default:
                throw Unknown();
        }
        _subs.Add(result);
        return result;
    }

    /// <summary>D-prefixed builtins (DF16b, DF16_, Dh, Dn, Da, Dc, Ds, Di, Du) and pack expansions (Dp).</summary>
    private string DType()
    {
        _i++; // D
        var c = Peek();
        _i++;
        switch (c)
        {
            case 'h': return "half";
            case 'n': return "decltype(nullptr)";
            case 'a': return "auto";
            case 'c': return "decltype(auto)";
            case 's': return "char16_t";
            case 'i': return "char32_t";
            case 'u': return "char8_t";
            case 'p':
                {
                    var t = Type() + "...";
                    _subs.Add(t);
                    return t;
                }
            case 'F':
                {
                    var start = _i;
                    while (char.IsAsciiDigit(Peek())) _i++;
                    var bits = _s[start.._i];
                    if (Eat('b')) return "bfloat" + bits;
                    if (Eat('_')) return "_Float" + bits;
                    if (Eat('x')) return "_Float" + bits + "x";
                    throw Unknown();
                }
            default:
                throw Unknown();
        }
    }
}
